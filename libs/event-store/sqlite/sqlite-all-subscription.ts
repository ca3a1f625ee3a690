import type { AllSubscription, RecordedEvent } from '../event-store.port.js';
import type { AppendSignal } from './append-signal.js';

export interface LogPage {
  events: RecordedEvent[];
  /** Every event up to this position has been looked at (a filter may have dropped some). */
  scannedTo: number;
}

/** How long a caught-up subscription waits before looking for appends made by other processes. */
export const POLL_INTERVAL_MS = 200;

/**
 * Reads the log one page at a time, and only when the consumer pulls: it catches up, then
 * follows new appends, woken by `signal` for appends of this process and by a poll otherwise.
 * Its cursor only moves past events it has read, so it never skips nor repeats one.
 */
export class SqliteAllSubscription implements AllSubscription {
  private stopped = false;
  private readonly events: AsyncGenerator<RecordedEvent>;

  constructor(
    private readonly readPage: (after: number) => LogPage,
    private readonly signal: AppendSignal,
    after: number,
    private readonly onStop: (subscription: SqliteAllSubscription) => void,
    private readonly onScanned: (position: number) => void = () => undefined,
  ) {
    this.events = this.follow(after);
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this.events;
  }

  async unsubscribe(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop(this);
    this.signal.notify();
  }

  private async *follow(after: number): AsyncGenerator<RecordedEvent> {
    let cursor = after;
    let reported = after;
    // Here the consumer has pulled every event of the pages read so far.
    const report = () => {
      if (cursor > reported) this.onScanned((reported = cursor));
    };
    try {
      while (!this.stopped) {
        report();
        const page = this.readPage(cursor);
        cursor = page.scannedTo;
        if (page.events.length === 0) {
          report();
          // Reading an empty page and starting to wait happen in one tick: no local append can slip in between.
          await this.signal.wait(POLL_INTERVAL_MS);
        }
        for (const event of page.events) {
          if (this.stopped) return;
          yield event;
        }
      }
    } finally {
      // A consumer that leaves its loop early is done with the subscription.
      await this.unsubscribe();
    }
  }
}
