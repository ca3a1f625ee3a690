import type { EventStore } from '../event-store/event-store.port.js';
import { DocumentStoreUnavailableError, type DocumentStore } from '../document-store/document-store.port.js';
import { setCheckpoint } from './checkpoints.js';
import { projectionCollections, type Projection } from './projection.js';
import { ProgressReporter, type OnProgress } from './projection-progress.js';
import { DEFAULT_PAUSE_TIMEOUT_MS, pauseLiveLoops } from './rebuild-pause.js';

export interface RebuildOptions {
  onProgress?: OnProgress;
  /** Events per batch; 500 by default. */
  batchSize?: number;
  /** How long the live loops (in any process) may take to pause for the swap; 10 s by default. */
  pauseTimeoutMs?: number;
}

export interface RebuildResult {
  /** Events replayed (all of them, applied or ignored). */
  events: number;
  /** The checkpoint the swapped-in collections are at. */
  position: number;
  seconds: number;
}

/**
 * Replays the whole log into fresh collections (`<collection>__rebuild_<timestamp>`) while the
 * live ones keep serving, then pauses the projection's live loops wherever they run
 * (rebuild-pause.ts), catches up, swaps the fresh collections in, sets the checkpoint to the
 * position reached, recording this log's id, and lets the loops go on from it. This is how read
 * models of another log (read-model-identity.ts) become this log's.
 */
export async function rebuildProjection(
  eventStore: EventStore,
  documentStore: DocumentStore,
  projection: Projection,
  { onProgress, batchSize = 500, pauseTimeoutMs = DEFAULT_PAUSE_TIMEOUT_MS }: RebuildOptions = {},
): Promise<RebuildResult> {
  const suffix = `__rebuild_${Date.now()}`;
  const fresh = projectionCollections(documentStore, projection, (name) => name + suffix);
  const progress = new ProgressReporter(projection.name, eventStore, onProgress);
  let position = 0;

  // Up to the head as it is when called, not chasing one that moves as fast as it replays:
  // whatever comes after the swapped-in position, the live loops apply from there.
  const replayToHead = async (): Promise<void> => {
    const head = await eventStore.headPosition();
    const filter = projection.eventTypes ? { eventTypes: [...projection.eventTypes] } : undefined;
    while (position < head) {
      const events = (await eventStore.readAll({ after: position, maxCount: batchSize, filter })).filter((event) => event.position <= head);
      if (events.length === 0) break;
      await retriedWhileUnavailable(() => projection.applyBatch(events, fresh));
      position = events.at(-1)!.position;
      await progress.record(events.length, position);
    }
    // Every event of its types up to the head is applied: the others are passed over.
    position = Math.max(position, head);
  };

  const logId = await eventStore.logId();
  try {
    await projection.setup(fresh);
    await replayToHead();
    const pause = await pauseLiveLoops(documentStore, projection.name, pauseTimeoutMs);
    try {
      await replayToHead();
      await swapIn(documentStore, projection.collections, suffix);
      await setCheckpoint(documentStore, projection.name, position, logId);
    } finally {
      await pause.release();
    }
    await progress.record(0, position, true);
    return { events: progress.eventsApplied, position, seconds: progress.seconds };
  } catch (error) {
    for (const name of projection.collections) await documentStore.dropCollection(name + suffix);
    throw error;
  }
}

/** A rebuilt collection that was never created (nothing to write) empties the live one. */
async function swapIn(documentStore: DocumentStore, names: readonly string[], suffix: string): Promise<void> {
  const existing = new Set(await documentStore.listCollections());
  for (const name of names) {
    if (existing.has(name + suffix)) await documentStore.renameCollection(name + suffix, name, { dropTarget: true });
    else await documentStore.dropCollection(name);
  }
}

const UNAVAILABLE_RETRIES = 5;

/**
 * A batch is applied again when the store did not answer in time (a loaded server): its writes
 * are guarded, so applying it twice changes nothing, and a long rebuild is not thrown away.
 */
async function retriedWhileUnavailable(apply: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await apply();
    } catch (error) {
      if (!(error instanceof DocumentStoreUnavailableError) || attempt >= UNAVAILABLE_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}
