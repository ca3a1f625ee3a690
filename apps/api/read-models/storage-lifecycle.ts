import { Inject, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store/event-store.port.js';
import type { DocumentStore } from '../../../libs/read-models/document-store/document-store.port.js';
import type { ProjectionRunner } from '../../../libs/read-models/projections/projection-runner.js';
import { DOCUMENT_STORE, PROJECTION_RUNNER } from './read-model.tokens.js';

/** Starts the in-process projections with the app; on shutdown stops them, then closes the stores. */
export class StorageLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('storage');

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documentStore: DocumentStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner | null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runner) return;
    await this.runner.start();
    this.logger.log('projections running in this process');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
    await this.documentStore.close();
    await this.eventStore.close();
  }
}
