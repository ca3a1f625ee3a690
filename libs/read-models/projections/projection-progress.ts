import type { EventStore } from '../../event-store/event-store.port.js';

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

/** Counts the events a projection applies and reports progress at most once a second. */
export class ProgressReporter {
  private readonly started = performance.now();
  private events = 0;
  private lastReport = Number.NEGATIVE_INFINITY;

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
    const now = performance.now();
    if (!this.onProgress || (!final && now - this.lastReport < REPORT_INTERVAL_MS)) return;
    this.lastReport = now;
    const head = await this.eventStore.headPosition();
    this.onProgress({ projection: this.projection, position, head, eventsPerSecond: this.events / Math.max(this.seconds, 0.001) });
  }
}
