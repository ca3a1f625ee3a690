import { randomUUID } from 'node:crypto';
import type { AllSubscription, EventStore } from '../event-store/event-store.port.js';
import { DocumentStoreUnavailableError, type DocumentStore } from '../document-store/document-store.port.js';
import { AdaptiveBatchSize } from './adaptive-batch-size.js';
import { batchesOf } from './batches-of.js';
import { advanceCheckpoint, CheckpointOfAnotherLogError, readCheckpoints } from './checkpoints.js';
import { projectionCollections, type Projection } from './projection.js';
import { ProgressReporter, type OnProgress } from './projection-progress.js';
import { HEARTBEAT_INTERVAL_MS, leaveLiveLoops, pauseHeld, recordHeartbeat } from './rebuild-pause.js';
import { acquireLease, LEASE_TTL_MS, releaseLease } from './projection-lease.js';

const PAUSE_POLL_INTERVAL_MS = 100;
/** How often a waiting instance (another one holds the lease) reads the stored checkpoint and asks for the lease. */
const STANDBY_POLL_MS = 500;

export interface ProjectionLogger {
  error(message: string, error: unknown): void;
}

export interface ProjectionLoopOptions {
  batchSize: number;
  retryDelayMs: { first: number; max: number };
  logger: ProjectionLogger;
  onProgress?: OnProgress;
  /** How long a lease term runs without renewal (projection-lease.ts); LEASE_TTL_MS by default. */
  leaseTtlMs?: number;
  /** Called each time the checkpoint has moved. */
  onCheckpoint: () => void;
}

/**
 * Runs one projection: from its checkpoint, applies the log's events in batches and stores the
 * checkpoint after each. A failing batch stops the projection; after a growing delay it starts
 * over from the stored checkpoint, so the same batch is tried again and nothing is skipped.
 *
 * Only the instance holding the projection's lease applies events (projection-lease.ts); the
 * others wait, following the stored checkpoint, and take over when the lease is let go or expires.
 *
 * It takes part in the rebuild pause protocol (rebuild-pause.ts): it beats while it runs, and
 * when a rebuild, in this process or another, asks it to pause, it finishes its batch, holds
 * still until the swap is done, then starts over from the checkpoint the rebuild stored.
 */
export class ProjectionLoop {
  /** The last stored checkpoint; 0 until the loop has read it. */
  position = 0;
  private readonly id = randomUUID();
  private running: Promise<void> | null = null;
  private stopping = false;
  /** The rebuild this loop was asked to pause for, until that rebuild lets it go. */
  private pauseRequest: string | null = null;
  /** The rebuild whose pause this loop has acknowledged: its batch is done and it holds still. */
  private pausedFor: string | null = null;
  private beats: Promise<void> = Promise.resolve();
  private beating = false;
  private subscription: AllSubscription | null = null;
  private cancelDelay: (() => void) | null = null;
  /** The log whose events this loop applies; set by `start`. */
  private logId = '';
  /** When the projection's lease this loop holds expires (projection-lease.ts); null while it holds none. */
  private leaseExpiresAt: number | null = null;
  private readonly batchSize: AdaptiveBatchSize;

  constructor(
    private readonly eventStore: EventStore,
    private readonly documentStore: DocumentStore,
    readonly projection: Projection,
    private readonly options: ProjectionLoopOptions,
  ) {
    this.batchSize = new AdaptiveBatchSize(options.batchSize);
  }

  /** Follows the log `logId`, whose read models the caller has checked (read-model-identity.ts). */
  start(logId: string): void {
    if (this.running) return;
    this.logId = logId;
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

  private async run(): Promise<void> {
    // The first beat comes before the first batch: a rebuild holding the pause sees no write.
    await this.beat();
    const heartbeat = setInterval(() => {
      if (!this.beating) void this.beat();
    }, HEARTBEAT_INTERVAL_MS);
    try {
      await this.followUntilStopped();
    } finally {
      clearInterval(heartbeat);
      await this.beats;
      if (this.leaseExpiresAt !== null) {
        this.leaseExpiresAt = null;
        await releaseLease(this.documentStore, this.projection.name, this.id).catch((error: unknown) =>
          this.options.logger.error(`projection ${this.projection.name} could not let go of its lease`, error),
        );
      }
      await leaveLiveLoops(this.documentStore, this.id).catch((error: unknown) =>
        this.options.logger.error(`projection ${this.projection.name} could not record that it stopped`, error),
      );
    }
  }

  private async followUntilStopped(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      if (this.pauseRequest) {
        await this.holdStill(this.pauseRequest);
        continue;
      }
      try {
        if (!(await this.holdLease())) {
          await this.followStoredCheckpoint();
          await this.delay(STANDBY_POLL_MS);
          continue;
        }
        await this.follow(() => (failures = 0));
      } catch (error) {
        if (error instanceof CheckpointOfAnotherLogError) {
          this.options.logger.error(`projection ${this.projection.name} stopped`, error);
          this.stopping = true;
          return;
        }
        failures++;
        if (error instanceof DocumentStoreUnavailableError) this.batchSize.shrink();
        const { first, max } = this.options.retryDelayMs;
        const delay = Math.min(first * 2 ** (failures - 1), max);
        this.options.logger.error(
          `projection ${this.projection.name} failed after position ${this.position} (attempt ${failures}); retrying in ${delay} ms with batches of up to ${this.batchSize.current} events`,
          error,
        );
        if (!this.pauseRequest) await this.delay(delay);
      }
    }
  }

  /** True once this loop holds the projection's lease (taking it when it is free). */
  private async holdLease(): Promise<boolean> {
    if (this.leaseValid()) return true;
    this.leaseExpiresAt = await acquireLease(this.documentStore, this.projection.name, this.id, this.leaseTtlMs);
    return this.leaseExpiresAt !== null;
  }

  /**
   * Whether the lease runs long enough for a batch: a loop whose renewals stalled stops applying
   * before its lease can expire and another instance take over.
   */
  private leaseValid(): boolean {
    return this.leaseExpiresAt !== null && this.leaseExpiresAt - Date.now() > this.leaseTtlMs / 3;
  }

  private get leaseTtlMs(): number {
    return this.options.leaseTtlMs ?? LEASE_TTL_MS;
  }

  /** While another instance applies the events: the stored checkpoint is where this process's reads stand. */
  private async followStoredCheckpoint(): Promise<void> {
    const { name } = this.projection;
    const position = (await readCheckpoints(this.documentStore, [name]))[name]!;
    if (position === this.position) return;
    this.position = position;
    this.options.onCheckpoint();
  }

  /** Renews the lease a third of the way through its time; a lease lost meanwhile ends the subscription. */
  private async renewLease(): Promise<void> {
    if (this.leaseExpiresAt === null || this.leaseExpiresAt - Date.now() > (this.leaseTtlMs * 2) / 3) return;
    this.leaseExpiresAt = await acquireLease(this.documentStore, this.projection.name, this.id, this.leaseTtlMs);
    if (this.leaseExpiresAt !== null) return;
    this.options.logger.error(`projection ${this.projection.name} lost its lease to another instance; it waits`, null);
    await this.subscription?.unsubscribe();
  }

  /**
   * Beats one after another (the presence document has this loop as its only writer); a beat
   * that sees a rebuild's pause request ends the subscription.
   */
  private beat(): Promise<void> {
    this.beats = this.beats.then(async () => {
      this.beating = true;
      try {
        await this.renewLease();
        const rebuildId = await recordHeartbeat(this.documentStore, this.projection.name, this.id, this.pausedFor ?? undefined);
        if (rebuildId && !this.pauseRequest) {
          this.pauseRequest = rebuildId;
          this.cancelDelay?.();
          await this.subscription?.unsubscribe();
        }
      } catch (error) {
        this.options.logger.error(`projection ${this.projection.name} could not record its heartbeat`, error);
      } finally {
        this.beating = false;
      }
    });
    return this.beats;
  }

  /**
   * Acknowledges the pause until the rebuild lets go of it. A failing store keeps the loop
   * still: resuming during the rebuild's swap would write into collections it drops.
   */
  private async holdStill(rebuildId: string): Promise<void> {
    this.pausedFor = rebuildId;
    await this.beat();
    while (!this.stopping) {
      try {
        if (!(await pauseHeld(this.documentStore, rebuildId))) break;
      } catch (error) {
        this.options.logger.error(`projection ${this.projection.name} could not check the pause of rebuild ${rebuildId}`, error);
      }
      await this.delay(PAUSE_POLL_INTERVAL_MS);
    }
    this.pausedFor = null;
    this.pauseRequest = null;
  }

  private async follow(onBatchApplied: () => void): Promise<void> {
    const { name, eventTypes } = this.projection;
    const db = projectionCollections(this.documentStore, this.projection);
    this.position = (await readCheckpoints(this.documentStore, [name]))[name]!;
    this.options.onCheckpoint();
    if (this.stopping || this.pauseRequest) return;

    // The store sends only the projection's event types, and tells how far it has looked past
    // the others: the checkpoint moves there once every event taken before is applied, so
    // `?minPosition=` is reached although no event of this projection came.
    let pulled = this.position;
    let applied = this.position;
    let scanned = this.position;
    let applying = false;
    let writes: Promise<void> = Promise.resolve();
    const progress = new ProgressReporter(name, this.eventStore, this.options.onProgress);
    const checkpointTo = (position: number): Promise<void> =>
      (writes = writes
        .catch(() => undefined)
        .then(async () => {
          if (position <= this.position) return;
          await advanceCheckpoint(this.documentStore, name, position, this.logId);
          this.position = position;
          this.options.onCheckpoint();
        }));
    // A checkpoint that cannot move past the other events now (the lease is not sure, the store
    // fails) ends the subscription as a failure: the store may scan nothing more for a long while,
    // and the next subscription, after the retry delay, scans again from the stored checkpoint.
    let interrupted: Error | null = null;
    const startOver = (cause: Error): void => {
      interrupted ??= cause;
      void this.subscription?.unsubscribe();
    };
    const onScanned = (position: number): void => {
      scanned = Math.max(scanned, position);
      if (applying || pulled > applied) return;
      if (!this.leaseValid()) return startOver(new Error(`projection ${name} could not renew its lease to move its checkpoint to ${position}`));
      checkpointTo(scanned)
        .then(() => progress.record(0, this.position))
        .catch((error: unknown) => startOver(new Error(`projection ${name} could not move its checkpoint to ${position}`, { cause: error })));
    };

    const filter = eventTypes ? { eventTypes: [...eventTypes] } : undefined;
    const subscription = this.eventStore.subscribeToAll({ after: this.position, filter, onScanned });
    this.subscription = subscription;
    const taken = (async function* () {
      for await (const event of subscription) {
        pulled = event.position;
        yield event;
      }
    })();
    try {
      for await (const batch of batchesOf(taken, () => this.batchSize.current)) {
        if (!this.leaseValid()) break;
        const position = batch.at(-1)!.position;
        applying = true;
        await this.projection.applyBatch(batch, db);
        applied = position;
        await checkpointTo(scanned > position && pulled <= position ? scanned : position);
        applying = false;
        this.batchSize.grow();
        onBatchApplied();
        await progress.record(batch.length, this.position);
        if (this.stopping || this.pauseRequest) break;
      }
    } finally {
      this.subscription = null;
      await subscription.unsubscribe();
      await writes.catch(() => undefined);
    }
    if (interrupted) throw interrupted;
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
