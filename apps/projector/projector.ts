import type { EventStore } from '../../libs/event-store/event-store.port.js';
import { openEventLog } from '../shared/event-log.js';
import type { DocumentStore } from '../../libs/document-store/document-store.port.js';
import { openDocumentStore, readModelsLocation } from '../../libs/document-store/open-document-store.js';
import { ALL_PROJECTION_NAMES, ALL_PROJECTIONS } from '../shared/projections.js';
import type { OnProgress } from '../../libs/projections/projection-progress.js';
import { ProjectionRunner } from '../../libs/projections/projection-runner.js';
import type { AppConfig } from '../../libs/config/config.js';

export interface ProjectorLogger {
  log(message: string): void;
  error(message: string, error: unknown): void;
}

export interface Projector {
  readonly runner: ProjectionRunner;
  /** Stops the projections once their batches in flight are stored, then closes the stores. */
  stop(): Promise<void>;
}

/** Runs every projection from the log into MongoDB, for an API started with RUN_PROJECTIONS=false. */
export async function startProjector(config: AppConfig, logger: ProjectorLogger = console): Promise<Projector> {
  if (!config.mongodbUri) {
    throw new Error(
      'the projector needs MONGODB_URI: without it the read models are the embedded ones, which the API keeps itself (RUN_PROJECTIONS=true).',
    );
  }
  const eventStore = await openEventLog(config);
  let documentStore: DocumentStore | undefined;
  try {
    documentStore = await openDocumentStore(config);
    const runner = new ProjectionRunner(eventStore, documentStore, ALL_PROJECTIONS, { logger, onProgress: catchUpLog(logger), leaseTtlMs: config.projectionLeaseTtlMs });
    await runner.start(readModelsLocation(config));
    logger.log(`projector running ${ALL_PROJECTION_NAMES.join(', ')} into ${config.mongodbDatabase}`);
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
