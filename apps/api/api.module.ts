import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AggregateStore } from '../../libs/event-store/aggregate-store.js';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port.js';
import { openEventStore } from '../../libs/event-store/open-event-store.js';
import type { AppConfig } from '../../libs/shared-kernel/config.js';
import { schemaVersionOf } from '../../libs/shared-kernel/event-schema-versions.js';
import { AuthGuard } from './auth/auth.guard.js';
import { APP_CONFIG } from './config.provider.js';
import {
  ContactCommandRunner,
  EditContactHandler,
  ReportChannelContactHandler,
  RestoreContactFromChannelHandler,
} from './contacts/contact-command-handlers.js';
import { ContactEditingPolicy } from './contacts/contact-editing.policy.js';
import { ContactQueries } from './contacts/contact-queries.js';
import { ContactsController } from './contacts/contacts.controller.js';
import { HealthController } from './health.controller.js';
import { AllErrorsFilter } from './http/all-errors.filter.js';
import { WorkspacePermissionsController } from './workspace/workspace-permissions.controller.js';
import { ReadConsistency } from './read-models/read-consistency.js';
import { DOCUMENT_STORE, PROJECTION_RUNNER } from './read-models/read-model.tokens.js';
import { StorageLifecycle } from './read-models/storage-lifecycle.js';
import type { DocumentStore } from '../../libs/read-models/document-store/document-store.port.js';
import { openDocumentStore } from '../../libs/read-models/open-document-store.js';
import { CONTACT_PROJECTIONS } from '../../libs/read-models/projections/contact-projections.js';
import { ProjectionRunner } from '../../libs/read-models/projections/projection-runner.js';

@Module({})
export class ApiModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [CqrsModule.forRoot()],
      controllers: [HealthController, ContactsController, WorkspacePermissionsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: EVENT_STORE, useFactory: () => openEventStore(config) },
        { provide: AggregateStore, useFactory: (store: EventStore) => new AggregateStore(store, schemaVersionOf), inject: [EVENT_STORE] },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AllErrorsFilter },
        { provide: DOCUMENT_STORE, useFactory: () => openDocumentStore(config) },
        {
          provide: PROJECTION_RUNNER,
          useFactory: (store: EventStore, documents: DocumentStore) =>
            config.runProjections ? new ProjectionRunner(store, documents, CONTACT_PROJECTIONS, { logger: new Logger('projections') }) : null,
          inject: [EVENT_STORE, DOCUMENT_STORE],
        },
        StorageLifecycle,
        ReadConsistency,
        ContactEditingPolicy,
        ContactQueries,
        ContactCommandRunner,
        ReportChannelContactHandler,
        EditContactHandler,
        RestoreContactFromChannelHandler,
      ],
    };
  }
}
