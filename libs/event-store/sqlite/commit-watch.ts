import type Database from 'better-sqlite3';

/**
 * How often a store with subscriptions looks for another connection's commit: the projections'
 * thread follows the API thread's appends this much later at most. `PRAGMA data_version` costs a
 * microsecond or so; the subscriptions read the log only when it changed.
 */
export const COMMIT_WATCH_INTERVAL_MS = 5;

/**
 * Calls `changed` when another connection has committed to the database since the last look
 * (SQLite's `data_version` moves only for other connections' commits), every few milliseconds
 * while started.
 */
export class CommitWatch {
  private timer: NodeJS.Timeout | undefined;
  private seen: number | undefined;

  constructor(
    private readonly dataVersion: Database.Statement<[], number>,
    private readonly changed: () => void,
  ) {}

  start(): void {
    if (this.timer) return;
    this.seen = this.dataVersion.get();
    this.timer = setInterval(() => this.look(), COMMIT_WATCH_INTERVAL_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private look(): void {
    const version = this.dataVersion.get();
    if (version === this.seen) return;
    this.seen = version;
    this.changed();
  }
}
