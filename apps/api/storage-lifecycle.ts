import { Inject, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port.js';
import type { DocumentStore } from '../../libs/document-store/document-store.port.js';
import type { ProjectionRunner } from '../../libs/projections/projection-runner.js';
import { DOCUMENT_STORE, PROJECTION_RUNNER, READ_MODELS_LOCATION } from '../../libs/projections/nest/read-model.tokens.js';
import { ReadModelMonitor } from '../../libs/projections/nest/read-model-monitor.js';

/**
 * Starts the in-process projections with the app, and the check that the read models are this
 * log's: read models of another log refuse the start (ReadModelsRefusedError). On shutdown it
 * stops them, then closes the stores.
 */
export class StorageLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('storage');

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documentStore: DocumentStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner | null,
    @Inject(ReadModelMonitor) private readonly readModels: ReadModelMonitor,
    @Inject(READ_MODELS_LOCATION) private readonly location: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.runner) {
      await this.runner.start(this.location);
      this.logger.log('projections running in this process');
    }
    await this.readModels.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.readModels.stop();
    await this.runner?.stop();
    await this.documentStore.close();
    await this.eventStore.close();
  }
}
