import type { AllSubscription, EventStore } from '../../event-store/event-store.port.js';
import type { DocumentStore } from '../document-store/document-store.port.js';
import { batchesOf } from './batches-of.js';
import { advanceCheckpoint, readCheckpoints } from './checkpoints.js';
import { projectionCollections, type Projection } from './projection.js';
import { ProgressReporter, type OnProgress } from './projection-progress.js';

export interface ProjectionLogger {
  error(message: string, error: unknown): void;
}

export interface ProjectionLoopOptions {
  batchSize: number;
  retryDelayMs: { first: number; max: number };
  logger: ProjectionLogger;
  onProgress?: OnProgress;
  /** Called each time the checkpoint has moved. */
  onCheckpoint: () => void;
}

/**
 * Runs one projection: from its checkpoint, applies the log's events in batches and stores the
 * checkpoint after each. A failing batch stops the projection; after a growing delay it starts
 * over from the stored checkpoint, so the same batch is tried again and nothing is skipped.
 */
export class ProjectionLoop {
  /** The last stored checkpoint; 0 until the loop has read it. */
  position = 0;
  private running: Promise<void> | null = null;
  private stopping = false;
  private subscription: AllSubscription | null = null;
  private cancelDelay: (() => void) | null = null;

  constructor(
    private readonly eventStore: EventStore,
    private readonly documentStore: DocumentStore,
    readonly projection: Projection,
    private readonly options: ProjectionLoopOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.run();
  }

  /** Resolves once the batch in flight, if any, is applied and checkpointed. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.cancelDelay?.();
    await this.subscription?.unsubscribe();
    await this.running;
    this.running = null;
  }

  /** Runs `work` while the loop is stopped, then starts it again from the stored checkpoint. */
  async paused<T>(work: () => Promise<T>): Promise<T> {
    const wasRunning = this.running !== null;
    await this.stop();
    try {
      return await work();
    } finally {
      if (wasRunning) this.start();
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.follow(() => (failures = 0));
      } catch (error) {
        failures++;
        const { first, max } = this.options.retryDelayMs;
        const delay = Math.min(first * 2 ** (failures - 1), max);
        this.options.logger.error(
          `projection ${this.projection.name} failed after position ${this.position} (attempt ${failures}); retrying in ${delay} ms`,
          error,
        );
        await this.delay(delay);
      }
    }
  }

  private async follow(onBatchApplied: () => void): Promise<void> {
    const { name } = this.projection;
    const db = projectionCollections(this.documentStore, this.projection);
    this.position = (await readCheckpoints(this.documentStore, [name]))[name]!;
    this.options.onCheckpoint();
    if (this.stopping) return;

    const subscription = this.eventStore.subscribeToAll({ after: this.position });
    this.subscription = subscription;
    const progress = new ProgressReporter(name, this.eventStore, this.options.onProgress);
    try {
      for await (const batch of batchesOf(subscription, this.options.batchSize)) {
        const position = batch.at(-1)!.position;
        await this.projection.applyBatch(batch, db);
        await advanceCheckpoint(this.documentStore, name, position);
        this.position = position;
        onBatchApplied();
        this.options.onCheckpoint();
        await progress.record(batch.length, position);
        if (this.stopping) break;
      }
    } finally {
      this.subscription = null;
      await subscription.unsubscribe();
    }
  }

  private delay(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.cancelDelay = done;
    }).finally(() => (this.cancelDelay = null));
  }
}
