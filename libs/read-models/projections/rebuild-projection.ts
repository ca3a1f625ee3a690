import type { EventStore } from '../../event-store/event-store.port.js';
import type { DocumentStore } from '../document-store/document-store.port.js';
import { setCheckpoint } from './checkpoints.js';
import { projectionCollections, type Projection } from './projection.js';
import { ProgressReporter, type OnProgress } from './projection-progress.js';

export interface RebuildOptions {
  onProgress?: OnProgress;
  /** Events per batch; 500 by default. */
  batchSize?: number;
  /**
   * Runs the final catch-up, the swap and the checkpoint update. `ProjectionRunner.rebuild`
   * passes one that pauses the projection's live loop meanwhile; without it, no runner may
   * be applying this projection during the call, or its writes between the last catch-up
   * and the swap would be lost.
   */
  exclusively?: <T>(work: () => Promise<T>) => Promise<T>;
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
 * live ones keep serving, then swaps them in and sets the checkpoint to the position reached.
 */
export async function rebuildProjection(
  eventStore: EventStore,
  documentStore: DocumentStore,
  projection: Projection,
  { onProgress, batchSize = 500, exclusively = (work) => work() }: RebuildOptions = {},
): Promise<RebuildResult> {
  const suffix = `__rebuild_${Date.now()}`;
  const fresh = projectionCollections(documentStore, projection, (name) => name + suffix);
  const progress = new ProgressReporter(projection.name, eventStore, onProgress);
  let position = 0;

  const replay = async (): Promise<void> => {
    for (;;) {
      const events = await eventStore.readAll({ after: position, maxCount: batchSize });
      if (events.length === 0) return;
      await projection.applyBatch(events, fresh);
      position = events.at(-1)!.position;
      await progress.record(events.length, position);
    }
  };

  try {
    await projection.setup(fresh);
    await replay();
    return await exclusively(async () => {
      await replay();
      await swapIn(documentStore, projection.collections, suffix);
      await setCheckpoint(documentStore, projection.name, position);
      await progress.record(0, position, true);
      return { events: progress.eventsApplied, position, seconds: progress.seconds };
    });
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
