import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { DocumentStore } from '../../document-store/document-store.port.js';
import { contactHistoryProjection } from './contact-history/contact-history.projection.js';
import { CONTACT_PROJECTIONS } from './contact-projections.js';
import { contactSearchProjection } from './contact-search/contact-search.projection.js';
import { contactViewsProjection } from './contact-views/contact-views.projection.js';
import { projectionCollections, type Projection } from '../../projections/projection.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { rebuildProjection } from '../../projections/rebuild-projection.js';
import { ContactLog } from '../testing/contact-log.js';
import { describeWithDocumentStores, snapshotOf } from '../../document-store/testing/document-store-targets.js';
import { FailingDocumentStore } from '../../document-store/testing/failing-document-store.js';
import { fillBusyLog } from '../../projections/testing/busy-log.js';
import { caughtUp } from '../../projections/testing/run-projections.js';

const BATCH_SIZE = 15;

/** Which bulk write fails: for the history, the 3rd is a batch's entries and the 4th its states. */
const faults: Array<[string, Projection, number]> = [
  ['contact-views', contactViewsProjection, 2],
  ['contact-search', contactSearchProjection, 2],
  ['contact-history (entries written, states not)', contactHistoryProjection, 3],
  ['contact-history (entries and part of the states written)', contactHistoryProjection, 4],
];

describeWithDocumentStores('exactly-once effects', (open) => {
  let log: ContactLog;
  let store: DocumentStore;
  const runners: ProjectionRunner[] = [];

  beforeEach(async () => {
    log = ContactLog.open();
    await fillBusyLog(log);
    store = await open();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await log.close();
  });

  function runner(on: DocumentStore, projections: readonly Projection[], errors: unknown[], retryMs: number): ProjectionRunner {
    const created = new ProjectionRunner(log.store, on, projections, {
      batchSize: BATCH_SIZE,
      retryDelayMs: { first: retryMs, max: retryMs },
      logger: { error: (_message, error) => errors.push(error) },
    });
    runners.push(created);
    return created;
  }

  /** The read model as it is, then as a fresh replay of the whole log makes it: they must be equal. */
  async function expectEqualToARebuild(projection: Projection): Promise<void> {
    const live = await snapshotOf(store, projection.collections);
    const rebuilt = await rebuildProjection(log.store, store, projection);
    expect(rebuilt.position).toBe(await log.head());
    expect(await snapshotOf(store, projection.collections)).toEqual(live);
    expect(Object.values(live).flat().length).toBeGreaterThan(0);
  }

  it.each(faults)('%s: a write failing mid-batch is retried, nothing lost, nothing applied twice', async (_, projection, failOn) => {
    const failing = new FailingDocumentStore(store, failOn);
    const errors: unknown[] = [];
    const live = runner(failing, [projection], errors, 10);
    await live.start();
    await caughtUp(live, log);

    expect(failing.failures).toBe(1);
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringContaining('injected failure') })]);
    await expectEqualToARebuild(projection);
  });

  it.each(faults)('%s: after a crash mid-batch, a restarted runner completes the read model exactly', async (_, projection, failOn) => {
    const failing = new FailingDocumentStore(store, failOn);
    const errors: unknown[] = [];
    const crashed = runner(failing, [projection], errors, 60_000);
    await crashed.start();
    while (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await crashed.stop();
    expect((await crashed.checkpoints())[projection.name]).toBeLessThan(await log.head());

    const restarted = runner(store, [projection], errors, 10);
    await restarted.start();
    await caughtUp(restarted, log);
    expect(errors).toHaveLength(1);
    await expectEqualToARebuild(projection);
  });

  it.each(CONTACT_PROJECTIONS.map((projection) => [projection.name, projection] as const))(
    '%s: a batch delivered again changes no document',
    async (_, projection) => {
      const live = runner(store, [projection], [], 10);
      await live.start();
      await caughtUp(live, log);
      await live.stop();
      const before = await snapshotOf(store, projection.collections);

      const events = await log.store.readAll();
      const db = projectionCollections(store, projection);
      await projection.applyBatch(events, db);
      await projection.applyBatch(events.slice(10, 40), db);
      await projection.applyBatch(events.slice(-3), db);
      expect(await snapshotOf(store, projection.collections)).toEqual(before);
    },
  );
});
