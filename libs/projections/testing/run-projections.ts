import type { DocumentStore } from '../../document-store/document-store.port.js';
import type { Projection } from '../projection.js';
import { ProjectionRunner } from '../projection-runner.js';
import type { ContactLog } from '../../contacts/testing/contact-log.js';

/** Quick retries and errors kept for assertions rather than printed. */
export function testRunner(log: ContactLog, store: DocumentStore, projections: readonly Projection[], errors: unknown[] = []): ProjectionRunner {
  return new ProjectionRunner(log.store, store, projections, {
    retryDelayMs: { first: 10, max: 50 },
    logger: { error: (_message, error) => errors.push(error) },
  });
}

/** Waits until the runner has applied the whole log; fails the test if it does not within 10 s. */
export async function caughtUp(runner: ProjectionRunner, log: ContactLog): Promise<void> {
  const head = await log.head();
  if (!(await runner.waitForPosition(head, 10_000))) throw new Error(`the projections did not reach position ${head}`);
}
