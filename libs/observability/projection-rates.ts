import type { ProjectionProgress } from '../projections/projection-progress.js';

/** The last events-per-second each projection of this process reported (its `onProgress` hook). */
export class ProjectionRates {
  private readonly rates: Record<string, number> = {};

  readonly record = (progress: ProjectionProgress): void => {
    this.rates[progress.projection] = progress.eventsPerSecond;
  };

  all(): Record<string, number> {
    return { ...this.rates };
  }
}
