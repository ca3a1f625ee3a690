import type { EventStore } from '../event-store/event-store.port.js';
import { DocumentStoreUnavailableError, type DocumentStore } from '../document-store/document-store.port.js';
import { AdaptiveBatchSize } from './adaptive-batch-size.js';
import { setCheckpoint } from './checkpoints.js';
import { projectionCollections, type Projection } from './projection.js';
import { OwnedCollections } from './owned-collections.js';
import { ProgressReporter, type OnProgress } from './projection-progress.js';
import { DEFAULT_PAUSE_TIMEOUT_MS, pauseLiveLoops } from './rebuild-pause.js';

/**
 * Events per batch of a rebuild, four times a live loop's: the fresh collections have no reader,
 * and a bigger batch writes each index page of the embedded store fewer times (contact-search
 * rebuilt at 11k events/s with batches of 500, 16k with 2,000, 18k with 5,000; contact-history
 * 12k → 15.5k; contact-views unchanged within noise).
 */
export const REBUILD_BATCH_SIZE = 2_000;

export interface RebuildOptions {
  onProgress?: OnProgress;
  /** Events per batch; REBUILD_BATCH_SIZE by default (halved while the store times out). */
  batchSize?: number;
  /** How long the live loops (in any process) may take to pause for the swap; 10 s by default. */
  pauseTimeoutMs?: number;
  /** Stops the replay between two batches (its fresh collections dropped): a process that stops does not wait for a whole rebuild. */
  signal?: AbortSignal;
  /**
   * The suffix of the fresh collections, `__rebuild_<timestamp>` by default. A fixed one (a first
   * start's) is dropped before the replay: what an attempt killed before its end left there.
   */
  freshSuffix?: string;
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
 * live ones keep serving (their indexes made after the replay when the projection finds by `_id`
 * alone), then pauses the projection's live loops wherever they run
 * (rebuild-pause.ts), catches up, swaps the fresh collections in, sets the checkpoint to the
 * position reached, recording this log's id, and lets the loops go on from it. This is how read
 * models of another log (read-model-identity.ts) become this log's.
 */
export async function rebuildProjection(
  eventStore: EventStore,
  documentStore: DocumentStore,
  projection: Projection,
  { onProgress, batchSize: maxBatchSize = REBUILD_BATCH_SIZE, pauseTimeoutMs = DEFAULT_PAUSE_TIMEOUT_MS, signal, freshSuffix }: RebuildOptions = {},
): Promise<RebuildResult> {
  const batchSize = new AdaptiveBatchSize(maxBatchSize);
  const suffix = freshSuffix ?? `__rebuild_${Date.now()}`;
  const owned = new OwnedCollections();
  const fresh = projectionCollections(documentStore, projection, { physicalName: (name) => name + suffix, owned });
  const progress = new ProgressReporter(projection.name, eventStore, onProgress);
  let position = 0;

  // Up to the head as it is when called, not chasing one that moves as fast as it replays:
  // whatever comes after the swapped-in position, the live loops apply from there.
  const replayToHead = async (): Promise<void> => {
    const head = await eventStore.headPosition();
    const filter = projection.eventTypes ? { eventTypes: [...projection.eventTypes] } : undefined;
    while (position < head) {
      signal?.throwIfAborted();
      const events = (await eventStore.readAll({ after: position, maxCount: batchSize.current, filter })).filter((event) => event.position <= head);
      if (events.length === 0) break;
      if (!(await appliedInTime(() => projection.applyBatch(events, fresh), batchSize))) {
        owned.failedAttempt(events.at(-1)!.position);
        continue;
      }
      position = events.at(-1)!.position;
      await progress.record(events.length, position);
    }
    // Every event of its types up to the head is applied: the others are passed over.
    position = Math.max(position, head);
  };

  // What the projection's writes held back goes to the fresh collections before they are indexed or swapped in.
  const flushed = async (): Promise<void> => {
    while (!(await appliedInTime(() => owned.flush(), batchSize)));
  };

  const logId = await eventStore.logId();
  if (freshSuffix) for (const name of projection.collections) await documentStore.dropCollection(name + suffix);
  try {
    if (!projection.findsByIdOnly) await projection.setup(fresh);
    await replayToHead();
    await flushed();
    if (projection.findsByIdOnly) await projection.setup(fresh);
    signal?.throwIfAborted();
    const pause = await pauseLiveLoops(documentStore, projection.name, pauseTimeoutMs);
    try {
      await replayToHead();
      await flushed();
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
 * Whether the batch was applied. A store that did not answer in time (a loaded server) gets the
 * events again in a smaller batch (false): writes are guarded, so what the failed batch applied
 * is not applied twice, and a long rebuild is not thrown away. After UNAVAILABLE_RETRIES failures
 * in a row, the error goes to the caller.
 */
async function appliedInTime(apply: () => Promise<void>, batchSize: AdaptiveBatchSize): Promise<boolean> {
  try {
    await apply();
    batchSize.grow();
    return true;
  } catch (error) {
    if (!(error instanceof DocumentStoreUnavailableError) || batchSize.failuresInARow + 1 >= UNAVAILABLE_RETRIES) throw error;
    batchSize.shrink();
    await new Promise((resolve) => setTimeout(resolve, 1000 * batchSize.failuresInARow));
    return false;
  }
}
