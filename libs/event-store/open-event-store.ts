import { join } from 'node:path';
import type { AppConfig } from '../config/config.js';
import type { EventStore } from './event-store.port.js';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

/** EventStoreDB when a connection string is configured, else the embedded SQLite log in the data folder. */
export function openEventStore(config: Pick<AppConfig, 'dataDir' | 'eventStoreConnectionString'>): EventStore {
  return config.eventStoreConnectionString
    ? EventStoreDbEventStore.connect(config.eventStoreConnectionString)
    : SqliteEventStore.open(join(config.dataDir, 'events.sqlite'));
}
