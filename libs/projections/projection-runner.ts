import type { EventStore } from '../event-store/event-store.port.js';
import type { DocumentStore } from '../document-store/document-store.port.js';
import { readCheckpoints } from './checkpoints.js';
import { projectionCollections, type Projection } from './projection.js';
import { ProjectionLoop, type ProjectionLogger } from './projection-loop.js';
import type { OnProgress } from './projection-progress.js';
import { rebuildProjection, type RebuildResult } from './rebuild-projection.js';
import { claimReadModels } from './read-model-identity.js';

export interface ProjectionRunnerOptions {
  /** Most events per batch while catching up; 500 by default. */
  batchSize?: number;
  /** Delay before retrying a failed batch, doubling per failure up to `max`. */
  retryDelayMs?: { first: number; max: number };
  logger?: ProjectionLogger;
  onProgress?: OnProgress;
  /** How long a projection's lease runs without renewal: how soon another instance takes over from a dead one. */
  leaseTtlMs?: number;
}

/**
 * Keeps projections up to date with the log, each on its own subscription from its own
 * checkpoint, so a failing projection holds back no other.
 */
export class ProjectionRunner {
  private readonly loops: ProjectionLoop[];
  private readonly positionWaiters = new Set<() => void>();

  constructor(
    private readonly eventStore: EventStore,
    private readonly documentStore: DocumentStore,
    projections: readonly Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.loops = projections.map(
      (projection) =>
        new ProjectionLoop(eventStore, documentStore, projection, {
          batchSize: options.batchSize ?? 500,
          retryDelayMs: options.retryDelayMs ?? { first: 100, max: 5_000 },
          logger: options.logger ?? console,
          onProgress: options.onProgress,
          leaseTtlMs: options.leaseTtlMs,
          onCheckpoint: () => this.positionWaiters.forEach((check) => check()),
        }),
    );
  }

  /**
   * Checks that the read models are this log's (else refuses with ReadModelsRefusedError,
   * read-model-identity.ts), creates the indexes, then starts following the log; resolves
   * without waiting for a catch-up.
   */
  async start(where?: string): Promise<void> {
    const projections = this.loops.map((loop) => loop.projection);
    const logId = await claimReadModels(this.eventStore, this.documentStore, projections, where);
    for (const projection of projections) await projection.setup(projectionCollections(this.documentStore, projection));
    for (const loop of this.loops) loop.start(logId);
  }

  /** Resolves once every batch in flight is applied and checkpointed. */
  async stop(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }

  /** The stored checkpoint of each projection. */
  checkpoints(): Promise<Record<string, number>> {
    return readCheckpoints(
      this.documentStore,
      this.loops.map((loop) => loop.projection.name),
    );
  }

  /** True once every projection has handled the event at `position`; false after `timeoutMs`. */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    if (this.reached(position)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const settle = (reached: boolean): void => {
        clearTimeout(timer);
        this.positionWaiters.delete(check);
        resolve(reached);
      };
      const check = (): void => {
        if (this.reached(position)) settle(true);
      };
      const timer = setTimeout(() => settle(false), timeoutMs);
      this.positionWaiters.add(check);
    });
  }

  /**
   * Rebuilds one projection into fresh collections while the live ones keep serving; its loop
   * (like any other process's) pauses only for the final catch-up and the swap, then resumes
   * from the new checkpoint.
   */
  async rebuild(projectionName: string, options: { onProgress?: OnProgress } = {}): Promise<RebuildResult> {
    const loop = this.loops.find((candidate) => candidate.projection.name === projectionName);
    if (!loop) throw new Error(`no projection named ${projectionName}`);
    return rebuildProjection(this.eventStore, this.documentStore, loop.projection, options);
  }

  private reached(position: number): boolean {
    return this.loops.every((loop) => loop.position >= position);
  }
}
