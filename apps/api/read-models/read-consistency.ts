import { Inject, Injectable } from '@nestjs/common';
import type { DocumentStore } from '../../../libs/read-models/document-store/document-store.port.js';
import { waitForCheckpoints } from '../../../libs/read-models/projections/checkpoints.js';
import { CONTACT_PROJECTION_NAMES } from '../../../libs/read-models/projections/contact-projections.js';
import type { ProjectionRunner } from '../../../libs/read-models/projections/projection-runner.js';
import { DOCUMENT_STORE, PROJECTION_RUNNER } from './read-model.tokens.js';

/** API.md: `?minPosition=` waits up to 5 s for the projections to reach a write's position. */
const MIN_POSITION_WAIT_MS = 5_000;

@Injectable()
export class ReadConsistency {
  constructor(
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner | null,
    @Inject(DOCUMENT_STORE) private readonly documentStore: DocumentStore,
  ) {}

  /** True once every projection reached `position`; false when the wait timed out (the read answers anyway). */
  async waitFor(position: number | undefined): Promise<boolean> {
    if (position === undefined) return true;
    if (this.runner) return this.runner.waitForPosition(position, MIN_POSITION_WAIT_MS);
    return waitForCheckpoints(this.documentStore, CONTACT_PROJECTION_NAMES, position, MIN_POSITION_WAIT_MS);
  }
}
