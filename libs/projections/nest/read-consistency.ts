import { Inject, Injectable } from '@nestjs/common';
import type { DocumentStore } from '../../document-store/document-store.port.js';
import { waitForCheckpoints } from '../checkpoints.js';
import type { RunningProjections } from '../running-projections.js';
import { AcknowledgedWrites } from '../acknowledged-writes.js';
import { DOCUMENT_STORE, PROJECTION_NAMES, PROJECTION_RUNNER } from './read-model.tokens.js';
import { ReadModelMonitor } from './read-model-monitor.js';

/** API.md: `?minPosition=` waits up to 5 s for the projections to reach a write's position. */
const MIN_POSITION_WAIT_MS = 5_000;
/**
 * How long a read without `?minPosition=` waits for this process's projections to reach the
 * writes it acknowledged: a few milliseconds when they keep up; when they are stuck, a read
 * answers from what they hold (`X-Read-Consistency: stale`) after this long.
 */
const ACKNOWLEDGED_WAIT_MS = 1_000;

@Injectable()
export class ReadConsistency {
  constructor(
    @Inject(PROJECTION_RUNNER) private readonly runner: RunningProjections | null,
    @Inject(DOCUMENT_STORE) private readonly documentStore: DocumentStore,
    @Inject(ReadModelMonitor) private readonly readModels: ReadModelMonitor,
    @Inject(PROJECTION_NAMES) private readonly projectionNames: readonly string[],
    @Inject(AcknowledgedWrites) private readonly acknowledged: AcknowledgedWrites,
  ) {}

  /**
   * Every read of read models comes here first: refuses (503) read models of another log, then
   * answers true once every projection reached `position`, and, where this process runs the
   * projections, the last write it acknowledged; false when the wait timed out (the read
   * answers anyway).
   */
  async waitFor(position: number | undefined): Promise<boolean> {
    this.readModels.assertServable();
    if (this.runner) {
      if (position !== undefined) return this.runner.waitForPosition(Math.max(position, this.acknowledged.position), MIN_POSITION_WAIT_MS);
      return this.runner.waitForPosition(this.acknowledged.position, ACKNOWLEDGED_WAIT_MS);
    }
    if (position === undefined) return true;
    return waitForCheckpoints(this.documentStore, this.projectionNames, position, MIN_POSITION_WAIT_MS);
  }
}
