import { Inject, Injectable } from '@nestjs/common';
import type { DocumentStore } from '../../document-store/document-store.port.js';
import { waitForCheckpoints } from '../checkpoints.js';
import type { ProjectionRunner } from '../projection-runner.js';
import { DOCUMENT_STORE, PROJECTION_NAMES, PROJECTION_RUNNER } from './read-model.tokens.js';
import { ReadModelMonitor } from './read-model-monitor.js';

/** API.md: `?minPosition=` waits up to 5 s for the projections to reach a write's position. */
const MIN_POSITION_WAIT_MS = 5_000;

@Injectable()
export class ReadConsistency {
  constructor(
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner | null,
    @Inject(DOCUMENT_STORE) private readonly documentStore: DocumentStore,
    @Inject(ReadModelMonitor) private readonly readModels: ReadModelMonitor,
    @Inject(PROJECTION_NAMES) private readonly projectionNames: readonly string[],
  ) {}

  /**
   * Every read of read models comes here first: refuses (503) read models of another log, then
   * answers true once every projection reached `position`; false when the wait timed out (the
   * read answers anyway).
   */
  async waitFor(position: number | undefined): Promise<boolean> {
    this.readModels.assertServable();
    if (position === undefined) return true;
    if (this.runner) return this.runner.waitForPosition(position, MIN_POSITION_WAIT_MS);
    return waitForCheckpoints(this.documentStore, this.projectionNames, position, MIN_POSITION_WAIT_MS);
  }
}
