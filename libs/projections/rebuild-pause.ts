import { randomUUID } from 'node:crypto';
import type { DocumentStore } from '../document-store/document-store.port.js';
import { guardedUpsert } from '../document-store/guarded-upsert.js';
import { checkpointsOf, type CheckpointDocument, type PauseRequest } from './checkpoints.js';

/**
 * The pause protocol between a projection's live loops and a rebuild, through the projection's
 * checkpoint document, so that it works across processes:
 *
 * - a live loop writes `loops.<loopId>.heartbeatAt` before its first batch and every
 *   HEARTBEAT_INTERVAL_MS while it runs, and removes its entry when it stops;
 * - a rebuild about to swap sets `pause` (refreshing `pause.heartbeatAt` while it holds it) and
 *   waits until every loop with a fresh heartbeat has acknowledged (`loops.<loopId>.pausedFor`);
 * - a loop that sees the pause finishes its batch in flight, acknowledges, and holds still until
 *   the pause is gone; it then resumes from the stored checkpoint, which the rebuild has set.
 *
 * A heartbeat is "fresh" for STALE_AFTER_MS, on the wall clocks of the processes involved, so
 * their clocks must agree to within a second or so. A crashed loop does not hold a rebuild back
 * for long, and a crashed rebuild does not hold live loops still for long.
 */
export const HEARTBEAT_INTERVAL_MS = 1000;
const STALE_AFTER_MS = 5000;
const POLL_INTERVAL_MS = 50;
export const DEFAULT_PAUSE_TIMEOUT_MS = 10_000;

export function isFresh(heartbeatAt: string | undefined): boolean {
  return heartbeatAt !== undefined && Date.now() - Date.parse(heartbeatAt) < STALE_AFTER_MS;
}

function heldPause(checkpoint: CheckpointDocument | null): PauseRequest | null {
  const pause = checkpoint?.pause;
  return pause && isFresh(pause.heartbeatAt) ? pause : null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A live loop's heartbeat; answers the id of the rebuild that asks the loop to pause, if any. */
export async function recordHeartbeat(store: DocumentStore, projection: string, loopId: string): Promise<string | null> {
  const checkpoints = checkpointsOf(store);
  await checkpoints.updateOne({ _id: projection }, { $set: { [`loops.${loopId}.heartbeatAt`]: new Date().toISOString() } }, { upsert: true });
  return heldPause(await checkpoints.findOne({ _id: projection }))?.by ?? null;
}

/** Acknowledges the rebuild's pause; answers whether the rebuild still holds it. */
export async function acknowledgePause(store: DocumentStore, projection: string, loopId: string, rebuildId: string): Promise<boolean> {
  const checkpoints = checkpointsOf(store);
  await checkpoints.updateOne({ _id: projection, 'pause.by': rebuildId }, { $set: { [`loops.${loopId}.pausedFor`]: rebuildId } });
  return heldPause(await checkpoints.findOne({ _id: projection }))?.by === rebuildId;
}

/** A stopped loop leaves at once, so that a rebuild does not wait for it. */
export async function leaveLiveLoops(store: DocumentStore, projection: string, loopId: string): Promise<void> {
  await checkpointsOf(store).updateOne({ _id: projection }, { $unset: { [`loops.${loopId}`]: '' } });
}

export interface HeldPause {
  /** Lets the live loops go on (from the stored checkpoint). */
  release(): Promise<void>;
}

/**
 * Asks the projection's live loops, in any process, to pause, and resolves once each loop with a
 * fresh heartbeat has finished its batch in flight and acknowledged. Fails after `timeoutMs`, or
 * at once when another rebuild of the projection holds the pause, leaving the live loops running.
 */
export async function pauseLiveLoops(store: DocumentStore, projection: string, timeoutMs = DEFAULT_PAUSE_TIMEOUT_MS): Promise<HeldPause> {
  const checkpoints = checkpointsOf(store);
  const rebuildId = randomUUID();
  const now = new Date().toISOString();
  const staleBefore = new Date(Date.now() - STALE_AFTER_MS).toISOString();
  const outcome = await guardedUpsert(
    checkpoints,
    { _id: projection, $or: [{ pause: { $exists: false } }, { 'pause.heartbeatAt': { $lt: staleBefore } }] },
    { $set: { pause: { by: rebuildId, requestedAt: now, heartbeatAt: now } } },
  );
  if (outcome === 'already-applied') throw new Error(`another rebuild of ${projection} is swapping its collections in; try again later`);

  // A failed refresh is not retried: the rebuild's own writes to the same store fail as well.
  const refresh = setInterval(() => {
    checkpoints
      .updateOne({ _id: projection, 'pause.by': rebuildId }, { $set: { 'pause.heartbeatAt': new Date().toISOString() } })
      .catch(() => undefined);
  }, HEARTBEAT_INTERVAL_MS);
  const release = async (): Promise<void> => {
    clearInterval(refresh);
    await checkpoints.updateOne({ _id: projection, 'pause.by': rebuildId }, { $unset: { pause: '' } });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = runningLoops(await checkpoints.findOne({ _id: projection }), rebuildId);
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
function runningLoops(checkpoint: CheckpointDocument | null, rebuildId: string): string[] {
  return Object.entries(checkpoint?.loops ?? {})
    .filter(([, loop]) => isFresh(loop.heartbeatAt) && loop.pausedFor !== rebuildId)
    .map(([loopId]) => loopId);
}
