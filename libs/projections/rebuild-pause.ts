import { randomUUID } from 'node:crypto';
import type { DocumentStore } from '../document-store/document-store.port.js';

export const PAUSES_COLLECTION = 'projection_pauses';
export const LIVE_LOOPS_COLLECTION = 'projection_live_loops';

/**
 * The pause protocol between a projection's live loops and a rebuild, through the document
 * store, so that it works across processes:
 *
 * - a live loop keeps a presence document (`projection_live_loops`, `_id` = loop id) with its
 *   heartbeat, written before its first batch and every HEARTBEAT_INTERVAL_MS while it runs,
 *   and deleted when it stops;
 * - a rebuild about to swap inserts a pause document (`projection_pauses`, `_id` = rebuild id),
 *   refreshes its heartbeat while it holds it, and waits until every loop with a fresh heartbeat
 *   has acknowledged it (`pausedFor` in the loop's presence document);
 * - a loop that sees the pause finishes its batch in flight, acknowledges, and holds still until
 *   the pause is gone; it then resumes from the stored checkpoint, which the rebuild has set.
 *
 * Each document has one writer, which serializes its own writes: FerretDB 1.24 loses one of two
 * concurrent updates of the same document, so a pause and the loops' heartbeats never share one.
 *
 * A heartbeat is "fresh" for STALE_AFTER_MS, on the wall clocks of the processes involved, so
 * their clocks must agree to within a second or so. A crashed loop does not hold a rebuild back
 * for long, and a crashed rebuild does not hold live loops still for long.
 */
export const HEARTBEAT_INTERVAL_MS = 1000;
const STALE_AFTER_MS = 5000;
const POLL_INTERVAL_MS = 50;
export const DEFAULT_PAUSE_TIMEOUT_MS = 10_000;

export type PauseDocument = { _id: string; projection: string; requestedAt: string; heartbeatAt: string };
export type LiveLoopDocument = { _id: string; projection: string; heartbeatAt: string; pausedFor?: string };

const pausesOf = (store: DocumentStore) => store.collection<PauseDocument>(PAUSES_COLLECTION);
const liveLoopsOf = (store: DocumentStore) => store.collection<LiveLoopDocument>(LIVE_LOOPS_COLLECTION);

function isFresh(heartbeatAt: string): boolean {
  return Date.now() - Date.parse(heartbeatAt) < STALE_AFTER_MS;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The fresh pauses of a projection, oldest first. */
async function freshPauses(store: DocumentStore, projection: string): Promise<PauseDocument[]> {
  const pauses = await pausesOf(store).find({ projection }, { sort: { requestedAt: 1 } });
  return pauses.filter((pause) => isFresh(pause.heartbeatAt));
}

/**
 * A live loop's heartbeat, with the pause it has acknowledged, if any; answers the id of the
 * rebuild that asks the loop to pause, if any. The caller serializes a loop's heartbeats.
 */
export async function recordHeartbeat(store: DocumentStore, projection: string, loopId: string, pausedFor?: string): Promise<string | null> {
  const presence: LiveLoopDocument = { _id: loopId, projection, heartbeatAt: new Date().toISOString(), ...(pausedFor ? { pausedFor } : {}) };
  await liveLoopsOf(store).replaceOne({ _id: loopId }, presence, { upsert: true });
  return (await freshPauses(store, projection))[0]?._id ?? null;
}

/** Whether the rebuild `rebuildId` still holds its pause. */
export async function pauseHeld(store: DocumentStore, rebuildId: string): Promise<boolean> {
  const pause = await pausesOf(store).findOne({ _id: rebuildId });
  return pause !== null && isFresh(pause.heartbeatAt);
}

/** A stopped loop leaves at once, so that a rebuild does not wait for it. */
export async function leaveLiveLoops(store: DocumentStore, loopId: string): Promise<void> {
  await liveLoopsOf(store).deleteOne({ _id: loopId });
}

export interface HeldPause {
  /** Lets the live loops go on (from the stored checkpoint). */
  release(): Promise<void>;
}

/**
 * Asks the projection's live loops, in any process, to pause, and resolves once each loop with a
 * fresh heartbeat has finished its batch in flight and acknowledged. Fails after `timeoutMs`, or
 * at once when another rebuild of the projection holds a pause, leaving the live loops running.
 */
export async function pauseLiveLoops(store: DocumentStore, projection: string, timeoutMs = DEFAULT_PAUSE_TIMEOUT_MS): Promise<HeldPause> {
  const pauses = pausesOf(store);
  const rebuildId = randomUUID();
  const now = new Date().toISOString();
  await pauses.deleteMany({ projection, heartbeatAt: { $lt: new Date(Date.now() - STALE_AFTER_MS).toISOString() } });
  await pauses.insertMany([{ _id: rebuildId, projection, requestedAt: now, heartbeatAt: now }]);

  // The refreshes and the release are this pause document's only writes, one after another.
  let writes: Promise<unknown> = Promise.resolve();
  const refresh = setInterval(() => {
    // A failed refresh is not retried: the rebuild's own writes to the same store fail as well.
    writes = writes.then(() =>
      pauses.updateOne({ _id: rebuildId }, { $set: { heartbeatAt: new Date().toISOString() } }).catch(() => undefined),
    );
  }, HEARTBEAT_INTERVAL_MS);
  const release = async (): Promise<void> => {
    clearInterval(refresh);
    await writes;
    await pauses.deleteOne({ _id: rebuildId });
  };

  // Two rebuilds that pause at once may both see the other and both give up; never both go on.
  if ((await freshPauses(store, projection)).some((pause) => pause._id !== rebuildId)) {
    await release();
    throw new Error(`another rebuild of ${projection} is swapping its collections in; try again later`);
  }

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = await runningLoops(store, projection, rebuildId);
    if (running.length === 0) return { release };
    if (Date.now() >= deadline) {
      await release();
      throw new Error(
        `the live projection ${projection} (loop ${running.join(', ')}, in a projector or an API process) did not pause ` +
          `within ${timeoutMs / 1000} s for the rebuild's swap; nothing was swapped in. Is that process stuck? Retry, or stop it first.`,
      );
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

/** The ids of the loops that are alive and have not acknowledged this rebuild's pause. */
async function runningLoops(store: DocumentStore, projection: string, rebuildId: string): Promise<string[]> {
  const loops = await liveLoopsOf(store).find({ projection });
  return loops.filter((loop) => isFresh(loop.heartbeatAt) && loop.pausedFor !== rebuildId).map((loop) => loop._id);
}
