import type { EventStore } from '../../libs/event-store/event-store.port.js';
import { openEventStore } from '../../libs/event-store/open-event-store.js';
import type { DocumentStore } from '../../libs/read-models/document-store/document-store.port.js';
import { openDocumentStore } from '../../libs/read-models/open-document-store.js';
import { CONTACT_PROJECTION_NAMES, CONTACT_PROJECTIONS } from '../../libs/read-models/projections/contact-projections.js';
import type { OnProgress } from '../../libs/read-models/projections/projection-progress.js';
import { ProjectionRunner } from '../../libs/read-models/projections/projection-runner.js';
import type { AppConfig } from '../../libs/shared-kernel/config.js';

export interface ProjectorLogger {
  log(message: string): void;
  error(message: string, error: unknown): void;
}

export interface Projector {
  readonly runner: ProjectionRunner;
  /** Stops the projections once their batches in flight are stored, then closes the stores. */
  stop(): Promise<void>;
}

/** Runs the contact projections from the log into MongoDB, for an API started with RUN_PROJECTIONS=false. */
export async function startProjector(config: AppConfig, logger: ProjectorLogger = console): Promise<Projector> {
  if (!config.mongodbUri) {
    throw new Error(
      'the projector needs MONGODB_URI: without it the read models would be in memory in this process, invisible to the API (which then runs its projections itself).',
    );
  }
  const eventStore = openEventStore(config);
  let documentStore: DocumentStore | undefined;
  try {
    documentStore = await openDocumentStore(config);
    const runner = new ProjectionRunner(eventStore, documentStore, CONTACT_PROJECTIONS, { logger, onProgress: catchUpLog(logger) });
    await runner.start();
    logger.log(`projector running ${CONTACT_PROJECTION_NAMES.join(', ')} into ${config.mongodbDatabase}`);
    return { runner, stop: () => stopAll(runner, eventStore, documentStore!) };
  } catch (error) {
    await documentStore?.close();
    await eventStore.close();
    throw error;
  }
}

async function stopAll(runner: ProjectionRunner, eventStore: EventStore, documentStore: DocumentStore): Promise<void> {
  try {
    await runner.stop();
  } finally {
    await documentStore.close();
    await eventStore.close();
  }
}

/** Logs a projection's progress while it is behind the log, and once each time it catches up; quiet while it keeps up. */
function catchUpLog(logger: ProjectorLogger): OnProgress {
  const caughtUp = new Set<string>();
  return ({ projection, position, head, eventsPerSecond }) => {
    if (position < head) {
      caughtUp.delete(projection);
      logger.log(`${projection} catching up: ${count(position)}/${count(head)} (${count(eventsPerSecond)} ev/s)`);
    } else if (!caughtUp.has(projection)) {
      caughtUp.add(projection);
      logger.log(`${projection} caught up at ${count(position)}`);
    }
  };
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
