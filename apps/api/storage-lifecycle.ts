import { Inject, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port.js';
import type { DocumentStore } from '../../libs/document-store/document-store.port.js';
import type { RunningProjections } from '../../libs/projections/running-projections.js';
import { ProjectionThread } from './projection-thread.js';
import { DOCUMENT_STORE, PROJECTION_RUNNER, READ_MODELS_LOCATION } from '../../libs/projections/nest/read-model.tokens.js';
import { ReadModelMonitor } from '../../libs/projections/nest/read-model-monitor.js';

/**
 * Starts the projections of this process with the app, and the check that the read models are this
 * log's: read models of another log refuse the start (ReadModelsRefusedError). On shutdown it
 * stops them, then closes the stores.
 */
export class StorageLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('storage');

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documentStore: DocumentStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: RunningProjections | null,
    @Inject(ReadModelMonitor) private readonly readModels: ReadModelMonitor,
    @Inject(READ_MODELS_LOCATION) private readonly location: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.runner) {
      await this.runner.start(this.location);
      this.logger.log(`projections running in ${this.runner instanceof ProjectionThread ? 'a worker thread' : "the API's thread"}`);
    }
    try {
      await this.readModels.start();
    } catch (error) {
      // The app will not start: nothing else would stop the projections (a thread keeps the process alive).
      await this.runner?.stop();
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.readModels.stop();
    await this.runner?.stop();
    await this.documentStore.close();
    await this.eventStore.close();
  }
}
