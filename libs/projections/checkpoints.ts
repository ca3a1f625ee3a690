import { isDuplicateKeyError, type DocumentCollection, type DocumentStore } from '../document-store/document-store.port.js';

export const CHECKPOINTS_COLLECTION = 'projection_checkpoints';

/**
 * The position of the last event a projection has handled (applied or ignored). Only the
 * holder of the projection's lease writes it, or a rebuild while the live loops are paused.
 */
export type CheckpointDocument = {
  _id: string;
  /** Absent until the first batch. */
  position?: number;
  /**
   * The log (EventStore.logId) the position, and the projection's collections, belong to.
   * Absent only before the read models were claimed by a log (read-model-identity.ts).
   */
  logId?: string;
  updatedAt?: string;
};

const POLL_INTERVAL_MS = 50;

export function checkpointsOf(store: DocumentStore): DocumentCollection<CheckpointDocument> {
  return store.collection<CheckpointDocument>(CHECKPOINTS_COLLECTION);
}

/** Each projection's checkpoint; 0 for one that has none yet. */
export async function readCheckpoints(store: DocumentStore, names: readonly string[]): Promise<Record<string, number>> {
  const stored = await checkpointsOf(store).find({ _id: { $in: [...names] } });
  const positions = new Map(stored.map((checkpoint) => [checkpoint._id, checkpoint.position]));
  return Object.fromEntries(names.map((name) => [name, positions.get(name) ?? 0]));
}

/**
 * Moves the checkpoint of the log `logId` forward only: a late or repeated store never takes it
 * back, and a checkpoint that another log's read models hold is never moved (CheckpointOfAnotherLogError).
 */
export async function advanceCheckpoint(store: DocumentStore, name: string, position: number, logId: string): Promise<void> {
  try {
    await checkpointsOf(store).updateOne(
      { _id: name, logId },
      { $max: { position }, $set: { updatedAt: new Date().toISOString() } },
      { upsert: true },
    );
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const stored = await checkpointsOf(store).findOne({ _id: name });
    throw new CheckpointOfAnotherLogError(name, logId, stored?.logId);
  }
}

/** Sets the checkpoint as is, backwards too, and its log: what a rebuild does for the collections it swapped in. */
export async function setCheckpoint(store: DocumentStore, name: string, position: number, logId: string): Promise<void> {
  await checkpointsOf(store).updateOne({ _id: name }, { $set: { position, logId, updatedAt: new Date().toISOString() } }, { upsert: true });
}

/** A live loop found that its projection's read models now belong to another log (a rebuild or a restore under it). */
export class CheckpointOfAnotherLogError extends Error {
  constructor(
    readonly projection: string,
    readonly logId: string,
    readonly storedLogId: string | undefined,
  ) {
    super(
      `the checkpoint of ${projection} belongs to log ${storedLogId ?? '(none recorded)'}, not to this log ${logId}: ` +
        'this process stops applying events to it; restart it to have the read models checked',
    );
    this.name = 'CheckpointOfAnotherLogError';
  }
}

/**
 * Polls the checkpoints until every named projection has reached `position`: for a process
 * whose projections run elsewhere. Resolves false after `timeoutMs`.
 */
export async function waitForCheckpoints(
  store: DocumentStore,
  names: readonly string[],
  position: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const checkpoints = await readCheckpoints(store, names);
    if (names.every((name) => checkpoints[name]! >= position)) return true;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_INTERVAL_MS, remaining)));
  }
}
