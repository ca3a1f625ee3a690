import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AggregateStore } from '../../libs/eventsourcing/aggregate-store.js';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port.js';
import { EVENT_SCHEMAS, eventLogOver } from '../shared/event-log.js';
import { KEY_STORE, type KeyStore } from '../../libs/personal-data/key-store.port.js';
import { openKeyStore } from '../../libs/personal-data/open-personal-data-event-store.js';
import { SealedSnapshotStore } from '../../libs/personal-data/sealed-snapshot-store.js';
import { DocumentSnapshotStore } from '../../libs/eventsourcing/snapshots/document-snapshot-store.js';
import type { AppConfig } from '../../libs/config/config.js';
import { AuthGuard } from '../../libs/auth/auth.guard.js';
import { APP_CONFIG } from '../../libs/config/config.provider.js';
import { ContactAccess } from '../../libs/contacts/contact-access.js';
import { ContactQueries } from '../../libs/contacts/contact-queries.js';
import { ContactWrites } from '../../libs/contacts/contact-writes.js';
import { WorkspaceCustomFields, WorkspacePermissions } from '../../libs/workspace/index.js';
import { ContactsController } from '../../libs/contacts/http/contacts.controller.js';
import { ContactLabelsController } from '../../libs/contacts/http/contact-labels.controller.js';
import { ContactLabels } from '../../libs/contacts/contact-labels.js';
import { ContactDeletion } from '../../libs/contacts/contact-deletion.js';
import { ContactDeletionController } from '../../libs/contacts/http/contact-deletion.controller.js';
import { SelfService } from '../../libs/contacts/self-service/self-service.js';
import { SelfServiceController } from '../../libs/contacts/http/self-service.controller.js';
import { CustomFieldsController } from '../../libs/workspace/http/custom-fields.controller.js';
import { HealthController } from './health.controller.js';
import { ReadyController } from './ready.controller.js';
import { TerminusModule } from '@nestjs/terminus';
import { AllErrorsFilter } from '../../libs/http/all-errors.filter.js';
import { WorkspacePermissionsController } from '../../libs/workspace/http/workspace-permissions.controller.js';
import { ReadConsistency } from '../../libs/projections/nest/read-consistency.js';
import { DOCUMENT_STORE, PROJECTION_NAMES, PROJECTION_RUNNER, PROJECTIONS, READ_MODELS_LOCATION } from '../../libs/projections/nest/read-model.tokens.js';
import { ReadModelMonitor } from '../../libs/projections/nest/read-model-monitor.js';
import { StorageLifecycle } from './storage-lifecycle.js';
import type { DocumentStore } from '../../libs/document-store/document-store.port.js';
import { openDocumentStore, readModelsLocation } from '../../libs/document-store/open-document-store.js';
import { ALL_PROJECTION_NAMES, ALL_PROJECTIONS } from '../shared/projections.js';
import { ProfilesController } from '../../libs/profiles/http/profiles.controller.js';
import { ProfileQueries } from '../../libs/profiles/http/profile-queries.js';
import { ProfileWrites } from '../../libs/profiles/http/profile-writes.js';
import { MergeSuggestionsController } from '../../libs/profiles/http/merge-suggestions.controller.js';
import { MergeSuggestions } from '../../libs/profiles/http/merge-suggestions.service.js';
import { ProjectionRunner } from '../../libs/projections/projection-runner.js';
import type { RunningProjections } from '../../libs/projections/running-projections.js';
import { AcknowledgedWrites, recordingAppends } from '../../libs/projections/acknowledged-writes.js';
import { ProjectionThread } from './projection-thread.js';
import { EventStreamController } from '../../libs/event-stream/event-stream.controller.js';
import { EventSchemasController } from '../../libs/event-stream/event-schemas.controller.js';
import { EventSchemaRegistry } from '../../libs/eventsourcing/event-schemas.js';
import { ApiMetrics, withTimedAppends } from '../../libs/observability/api-metrics.js';
import { MetricsController } from '../../libs/observability/metrics.controller.js';
import { ProjectionRates } from '../../libs/observability/projection-rates.js';
import { StreamingResponse } from '../../libs/http/streaming-response.js';
import { LiveContactsController } from '../../libs/contacts/http/live-contacts.controller.js';
import { AuditController } from '../../libs/contacts/http/audit.controller.js';
import { ContactViewChanges } from '../../libs/contacts/live/contact-view-changes.js';

@Module({})
export class ApiModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, ReadyController, ContactsController, ContactLabelsController, ContactDeletionController, SelfServiceController, WorkspacePermissionsController, CustomFieldsController, ProfilesController, MergeSuggestionsController, EventStreamController, EventSchemasController, LiveContactsController, AuditController, MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: EventSchemaRegistry, useValue: EVENT_SCHEMAS },
        { provide: KEY_STORE, useFactory: () => openKeyStore(config) },
        { provide: EVENT_STORE, useFactory: (keys: KeyStore) => eventLogOver(config, keys), inject: [KEY_STORE] },
        {
          provide: AggregateStore,
          useFactory: (store: EventStore, metrics: ApiMetrics, documents: DocumentStore, keys: KeyStore, acknowledged: AcknowledgedWrites) =>
            new AggregateStore(withTimedAppends(recordingAppends(store, acknowledged), metrics), EVENT_SCHEMAS, {
              snapshots: new SealedSnapshotStore(new DocumentSnapshotStore(documents), keys),
              onSnapshotFailure: (error) => new Logger('snapshots').warn(`a snapshot was not saved or read (asOf reads more of the log): ${String(error)}`),
            }),
          inject: [EVENT_STORE, ApiMetrics, DOCUMENT_STORE, KEY_STORE, AcknowledgedWrites],
        },
        ProjectionRates,
        {
          provide: ApiMetrics,
          useFactory: (readModels: ReadModelMonitor, rates: ProjectionRates) =>
            new ApiMetrics({
              projectionPositions: () => {
                const check = readModels.status().check;
                return check ? { head: check.head, checkpoints: check.checkpoints } : undefined;
              },
              projectionRates: () => rates.all(),
              openSseStreams: () => StreamingResponse.openCount('text/event-stream'),
            }),
          inject: [ReadModelMonitor, ProjectionRates],
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AllErrorsFilter },
        { provide: DOCUMENT_STORE, useFactory: () => openDocumentStore(config) },
        {
          provide: PROJECTION_RUNNER,
          useFactory: (store: EventStore, documents: DocumentStore, rates: ProjectionRates): RunningProjections | null => {
            if (!config.runProjections) return null;
            const logger = new Logger('projections');
            if (config.projectionThread) return new ProjectionThread(config, { logger, onProgress: rates.record });
            return new ProjectionRunner(store, documents, ALL_PROJECTIONS, { logger, onProgress: rates.record, leaseTtlMs: config.projectionLeaseTtlMs });
          },
          inject: [EVENT_STORE, DOCUMENT_STORE, ProjectionRates],
        },
        { provide: PROJECTION_NAMES, useValue: ALL_PROJECTION_NAMES },
        { provide: PROJECTIONS, useValue: ALL_PROJECTIONS },
        { provide: READ_MODELS_LOCATION, useValue: readModelsLocation(config) },
        ReadModelMonitor,
        StorageLifecycle,
        {
          provide: ContactViewChanges,
          useFactory: (documents: DocumentStore) => new ContactViewChanges(documents, { onError: (error) => new Logger('live').error(error) }),
          inject: [DOCUMENT_STORE],
        },
        AcknowledgedWrites,
        ReadConsistency,
        ContactAccess,
        ContactWrites,
        ContactQueries,
        WorkspacePermissions,
        WorkspaceCustomFields,
        ContactLabels,
        ContactDeletion,
        SelfService,
        ProfileWrites,
        ProfileQueries,
        MergeSuggestions,
      ],
    };
  }
}
