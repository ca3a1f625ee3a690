import type { EventStore } from '../event-store/event-store.port.js';
import type { DocumentStore } from '../document-store/document-store.port.js';
import { readCheckpoints } from './checkpoints.js';
import { projectionCollections, type Projection } from './projection.js';
import { ProjectionLoop, type ProjectionLogger } from './projection-loop.js';
import type { OnProgress } from './projection-progress.js';
import { rebuildProjection, type RebuildResult } from './rebuild-projection.js';
import { claimReadModels } from './read-model-identity.js';
import type { RunningProjections } from './running-projections.js';
import { PositionWaiters } from './position-waiters.js';

export interface ProjectionRunnerOptions {
  /** Most events per batch while catching up; 500 by default. */
  batchSize?: number;
  /** Delay before retrying a failed batch, doubling per failure up to `max`. */
  retryDelayMs?: { first: number; max: number };
  logger?: ProjectionLogger;
  onProgress?: OnProgress;
  /** How long a projection's lease runs without renewal: how soon another instance takes over from a dead one. */
  leaseTtlMs?: number;
  /**
   * A projection that has applied nothing yet (a first start over an existing log) is rebuilt,
   * then followed, instead of caught up by its live loop, when the log holds at least this many
   * events: a rebuild writes collections it owns and makes their indexes once, after the replay.
   * FIRST_START_REBUILD_AT by default.
   */
  rebuildFromEmptyAt?: number;
  /** Called with the position every projection has reached, each time a checkpoint moves it further. */
  onPosition?: (position: number) => void;
}

/**
 * Events in the log from which a first start rebuilds: 24.7 s instead of 50.8 s at 116,667 events
 * (embedded, restart bench), 1.2 s instead of 85.9 s at 1,750 events on FerretDB (docs/notes/issue-10.md).
 */
export const FIRST_START_REBUILD_AT = 1_000;
/** The fresh collections of a first start's rebuild: one name, so that the next start drops what a killed one left. */
const FIRST_START_SUFFIX = '__first_start';

/**
 * Keeps projections up to date with the log, each on its own subscription from its own
 * checkpoint, so a failing projection holds back no other.
 */
export class ProjectionRunner implements RunningProjections {
  private readonly loops: ProjectionLoop[];
  private readonly positionWaiters = new PositionWaiters(() => this.position());
  /** The last position given to `onPosition`. */
  private reportedPosition = -1;
  private readonly firstRebuilds: Promise<void>[] = [];
  private stopping = new AbortController();

  constructor(
    private readonly eventStore: EventStore,
    private readonly documentStore: DocumentStore,
    projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.loops = projections.map(
      (projection) =>
        new ProjectionLoop(eventStore, documentStore, projection, {
          batchSize: options.batchSize ?? 500,
          retryDelayMs: options.retryDelayMs ?? { first: 100, max: 5_000 },
          logger: options.logger ?? console,
          onProgress: options.onProgress,
          leaseTtlMs: options.leaseTtlMs,
          onCheckpoint: () => {
            this.positionWaiters.notify();
            this.reportPosition();
          },
        }),
    );
  }

  /**
   * Checks that the read models are this log's (else refuses with ReadModelsRefusedError,
   * read-model-identity.ts), creates the indexes, then starts following the log, each projection
   * that has applied nothing over a long log after rebuilding it; resolves without waiting for a
   * catch-up.
   */
  async start(where?: string): Promise<void> {
    const projections = this.loops.map((loop) => loop.projection);
    const logId = await claimReadModels(this.eventStore, this.documentStore, projections, where);
    for (const projection of projections) await projection.setup(projectionCollections(this.documentStore, projection));
    const checkpoints = await readCheckpoints(this.documentStore, projections.map(({ name }) => name));
    const longLog = (await this.eventStore.headPosition()) >= (this.options.rebuildFromEmptyAt ?? FIRST_START_REBUILD_AT);
    this.stopping = new AbortController();
    for (const loop of this.loops) {
      if (longLog && checkpoints[loop.projection.name] === 0) this.firstRebuilds.push(this.rebuildThenFollow(loop, logId));
      else loop.start(logId);
    }
  }

  /** Resolves once every batch in flight is applied and checkpointed (a first rebuild in flight is dropped). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.firstRebuilds.splice(0));
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
    return this.positionWaiters.wait(position, timeoutMs);
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

  /**
   * A failed rebuild leaves the catch-up to the live loop, from the start of the log (two
   * processes starting at once over empty read models may both rebuild, into the same fresh
   * collections: one fails, or both, and their loops catch up).
   */
  private async rebuildThenFollow(loop: ProjectionLoop, logId: string): Promise<void> {
    const { signal } = this.stopping;
    try {
      await rebuildProjection(this.eventStore, this.documentStore, loop.projection, { onProgress: this.options.onProgress, signal, freshSuffix: FIRST_START_SUFFIX });
    } catch (error) {
      if (signal.aborted) return;
      (this.options.logger ?? console).error(`projection ${loop.projection.name}: the rebuild of its first start failed; its live loop catches up instead`, error);
    }
    if (!signal.aborted) loop.start(logId);
  }

  private reportPosition(): void {
    const position = this.position();
    if (position <= this.reportedPosition) return;
    this.reportedPosition = position;
    this.options.onPosition?.(position);
  }

  /** The position every projection has handled. */
  private position(): number {
    return Math.min(...this.loops.map((loop) => loop.position));
  }
}
