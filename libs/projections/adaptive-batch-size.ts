/**
 * The size of the next batch: halved when the store could not apply a batch in time (a batch
 * retried at the size that timed out would time out for ever), doubled back after each batch
 * applied, never above the configured size nor below one event.
 */
export class AdaptiveBatchSize {
  private size: number;
  private shrunkInARow = 0;

  constructor(private readonly max: number) {
    this.size = max;
  }

  get current(): number {
    return this.size;
  }

  /** How many times in a row the batch had to shrink: no batch was applied in between. */
  get failuresInARow(): number {
    return this.shrunkInARow;
  }

  shrink(): void {
    this.size = Math.max(1, Math.floor(this.size / 2));
    this.shrunkInARow++;
  }

  grow(): void {
    this.size = Math.min(this.max, this.size * 2);
    this.shrunkInARow = 0;
  }
}
