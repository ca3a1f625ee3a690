import { parentPort, workerData } from 'node:worker_threads';
import type { DocumentStore } from '../../libs/document-store/document-store.port.js';
import type { EventStore } from '../../libs/event-store/event-store.port.js';
import { openDocumentStore } from '../../libs/document-store/open-document-store.js';
import { ProjectionRunner } from '../../libs/projections/projection-runner.js';
import { openEventLog } from '../shared/event-log.js';
import { ALL_PROJECTIONS } from '../shared/projections.js';
import { threadErrorOf, type FromProjectionThread, type ProjectionThreadData, type ToProjectionThread } from './projection-thread.js';

/** The projection thread (projection-thread.ts): every projection, over this thread's own stores. */
const { config, where } = workerData as ProjectionThreadData;
const port = parentPort!;
const report = (message: FromProjectionThread): void => port.postMessage(message);

let eventStore: EventStore | undefined;
let documentStore: DocumentStore | undefined;
let runner: ProjectionRunner | undefined;

async function start(): Promise<void> {
  eventStore = await openEventLog(config);
  documentStore = await openDocumentStore(config);
  runner = new ProjectionRunner(eventStore, documentStore, ALL_PROJECTIONS, {
    logger: { error: (message, error) => report({ kind: 'error', message, error: threadErrorOf(error) }) },
    onProgress: (progress) => report({ kind: 'progress', progress }),
    leaseTtlMs: config.projectionLeaseTtlMs,
    onPosition: (position) => report({ kind: 'position', position }),
  });
  await runner.start(where);
}

// Listening before anything else: a stop sent while the thread starts waits for the start, then stops.
let stopping: Promise<void> | undefined;
port.on('message', (message: ToProjectionThread) => {
  if (message.kind === 'stop') stopping ??= started.then(() => runner?.stop()).then(end, end);
});

async function end(): Promise<void> {
  try {
    await documentStore?.close();
    await eventStore?.close();
  } finally {
    port.close();
  }
}

const started = start().then(
  () => report({ kind: 'started' }),
  async (error: unknown) => {
    report({ kind: 'failed', error: threadErrorOf(error) });
    await runner?.stop();
    stopping ??= end();
  },
);
