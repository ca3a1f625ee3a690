import { join } from 'node:path';
import type { AppConfig } from '../config/config.js';
import type { EventStore } from './event-store.port.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

/**
 * EventStoreDB when a connection string is configured, else the embedded SQLite log in the data
 * folder. The EventStoreDB client (gRPC) is loaded only when configured: a process, or the API's
 * projection thread, starts that much sooner on the embedded log.
 */
export async function openEventStore(config: Pick<AppConfig, 'dataDir' | 'eventStoreConnectionString'>): Promise<EventStore> {
  if (!config.eventStoreConnectionString) return SqliteEventStore.open(join(config.dataDir, 'events.sqlite'));
  const { EventStoreDbEventStore } = await import('./eventstoredb/eventstoredb-event-store.js');
  return EventStoreDbEventStore.connect(config.eventStoreConnectionString);
}
