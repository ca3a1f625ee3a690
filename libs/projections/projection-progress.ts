import type { EventStore } from '../event-store/event-store.port.js';

export interface ProjectionProgress {
  projection: string;
  /** The position applied so far. */
  position: number;
  /** The log's last position when this was reported. */
  head: number;
  eventsPerSecond: number;
}

export type OnProgress = (progress: ProjectionProgress) => void;

const REPORT_INTERVAL_MS = 1000;

/**
 * Counts the events a projection applies and reports progress at most once a second. A report
 * held back by that limit is sent when the second is over, so the last state (say, caught up)
 * is always reported even when no event follows.
 */
export class ProgressReporter {
  private readonly started = performance.now();
  private events = 0;
  private lastReport = Number.NEGATIVE_INFINITY;
  private held: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly projection: string,
    private readonly eventStore: EventStore,
    private readonly onProgress: OnProgress | undefined,
  ) {}

  get eventsApplied(): number {
    return this.events;
  }

  get seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  /** `final` reports even within the interval: the last word of a finished run. */
  async record(events: number, position: number, final = false): Promise<void> {
    this.events += events;
    if (!this.onProgress) return;
    const wait = this.lastReport + REPORT_INTERVAL_MS - performance.now();
    if (final || wait <= 0) return this.report(this.onProgress, position);
    clearTimeout(this.held);
    const onProgress = this.onProgress;
    // A held report that fails (the log closed at shutdown) loses one progress line, nothing more.
    this.held = setTimeout(() => void this.report(onProgress, position).catch(() => undefined), wait).unref();
  }

  private async report(onProgress: OnProgress, position: number): Promise<void> {
    clearTimeout(this.held);
    this.lastReport = performance.now();
    const head = await this.eventStore.headPosition();
    onProgress({ projection: this.projection, position, head, eventsPerSecond: this.events / Math.max(this.seconds, 0.001) });
  }
}
