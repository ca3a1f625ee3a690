import type { AppConfig } from '../../libs/config/config.js';
import type { EventStore } from '../../libs/event-store/event-store.port.js';
import { openEventStore } from '../../libs/event-store/open-event-store.js';
import { EventSchemaRegistry } from '../../libs/eventsourcing/event-schemas.js';
import { UpcastingEventStore } from '../../libs/eventsourcing/upcasting-event-store.js';
import type { KeyStore } from '../../libs/personal-data/key-store.port.js';
import { openKeyStore } from '../../libs/personal-data/open-personal-data-event-store.js';
import { PersonalDataEventStore } from '../../libs/personal-data/personal-data-event-store.js';
import { CONTACT_EVENT_SCHEMAS } from '../../libs/contacts/index.js';
// The schemas' own modules, not the workspace's index: it also exports Nest services, which the projection thread does not load.
import { WORKSPACE_EVENT_SCHEMAS } from '../../libs/workspace/workspace-permissions.js';
import { CUSTOM_FIELDS_EVENT_SCHEMAS } from '../../libs/workspace/custom-field-definitions.js';
import { WORKSPACE_TAGS_EVENT_SCHEMAS } from '../../libs/workspace/workspace-tags.js';
import { PROFILE_EVENT_SCHEMAS } from '../../libs/profiles/profile-events.js';
import { MERGE_SUGGESTION_EVENT_SCHEMAS } from '../../libs/profiles/merge-suggestion.js';

/** Every feature's event schemas and upcasters: what the log is written with and read through. */
export const EVENT_SCHEMAS = EventSchemaRegistry.of(
  CONTACT_EVENT_SCHEMAS,
  WORKSPACE_EVENT_SCHEMAS,
  WORKSPACE_TAGS_EVENT_SCHEMAS,
  CUSTOM_FIELDS_EVENT_SCHEMAS,
  PROFILE_EVENT_SCHEMAS,
  MERGE_SUGGESTION_EVENT_SCHEMAS,
);

type LogConfig = Pick<AppConfig, 'dataDir' | 'eventStoreConnectionString' | 'keyStore'>;

/**
 * The configured log as every reader and writer uses it. Decorators of the port stack here,
 * the adapter innermost: personal data decrypted (crypto-shredding), then each read upcast to
 * the current schemas.
 */
export async function eventLogOver(config: LogConfig, keys: KeyStore): Promise<EventStore> {
  return new UpcastingEventStore(new PersonalDataEventStore(await openEventStore(config), keys, { closeKeys: true }), EVENT_SCHEMAS);
}

/** The log with its own key store, for the apps that open it once (projector, CLI). */
export async function openEventLog(config: LogConfig): Promise<EventStore> {
  return eventLogOver(config, await openKeyStore(config));
}
