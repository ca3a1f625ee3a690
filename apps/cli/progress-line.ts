import type { ProjectionProgress } from '../../libs/projections/projection-progress.js';
import type { RebuildResult } from '../../libs/projections/rebuild-projection.js';

/** Where progress goes: process.stderr, or anything shaped like it. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

const BAR_WIDTH = 30;
const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** `contact-views [#######-----] 12,345/20,000 events 8,765 ev/s` */
export function formatProgress({ projection, position, head, eventsPerSecond }: ProjectionProgress): string {
  const filled = head > 0 ? Math.min(BAR_WIDTH, Math.round((position / head) * BAR_WIDTH)) : BAR_WIDTH;
  const bar = '#'.repeat(filled) + '-'.repeat(BAR_WIDTH - filled);
  return `${projection} [${bar}] ${count(position)}/${count(head)} events ${count(eventsPerSecond)} ev/s`;
}

export function formatSummary(projection: string, { events, position, seconds }: RebuildResult): string {
  const rate = events / Math.max(seconds, 0.001);
  return `${projection} rebuilt: ${count(events)} events in ${seconds.toFixed(1)} s (${count(rate)} events/s), checkpoint ${count(position)}`;
}

/**
 * Progress on a terminal: one line redrawn in place. Elsewhere (a log file, a CI job) one line
 * per report, which the projections make at most once a second.
 */
export class ProgressLine {
  constructor(private readonly stream: ProgressStream) {}

  update(progress: ProjectionProgress): void {
    this.stream.write(this.stream.isTTY ? `\r${formatProgress(progress)}\x1b[K` : `${formatProgress(progress)}\n`);
  }

  finish(projection: string, result: RebuildResult): void {
    this.stream.write(`${this.stream.isTTY ? '\r\x1b[K' : ''}${formatSummary(projection, result)}\n`);
  }

  /** Takes the redrawn line off a terminal (before a line written to another stream). */
  clear(): void {
    if (this.stream.isTTY) this.stream.write('\r\x1b[K');
  }
}
