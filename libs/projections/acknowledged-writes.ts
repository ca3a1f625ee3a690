import { aroundAppends } from '../event-store/around-appends.js';
import type { EventStore } from '../event-store/event-store.port.js';

/**
 * The log position of the last write this process acknowledged: a read of the read models that
 * this process's projections keep waits for them to reach it (ReadConsistency), so that a client
 * never reads from before a write it was told about, whichever thread applies the events.
 */
export class AcknowledgedWrites {
  private last = 0;

  get position(): number {
    return this.last;
  }

  record(position: number): void {
    if (position > this.last) this.last = position;
  }
}

/** The store, recording the position of every append it makes in `acknowledged`. */
export function recordingAppends(store: EventStore, acknowledged: AcknowledgedWrites): EventStore {
  return aroundAppends(store, async (append) => {
    const result = await append();
    acknowledged.record(result.position);
    return result;
  });
}
