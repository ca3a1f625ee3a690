import { join } from 'node:path';
import type { AppConfig } from '../config/config.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { openEventStore } from '../event-store/open-event-store.js';
import { CachedKeyStore } from './cached-key-store.js';
import type { KeyStore } from './key-store.port.js';
import { PersonalDataEventStore } from './personal-data-event-store.js';
import { SqliteKeyStore } from './sqlite/sqlite-key-store.js';

type Config = Pick<AppConfig, 'dataDir' | 'eventStoreConnectionString' | 'keyStore'>;

/** The configured KeyStore, behind the key cache. */
export async function openKeyStore(config: Pick<AppConfig, 'dataDir' | 'keyStore'>): Promise<KeyStore> {
  if (config.keyStore.kind === 'sqlite') return new CachedKeyStore(SqliteKeyStore.open(join(config.dataDir, 'keys.sqlite')));
  // The MongoDB driver is loaded only when configured (see openEventStore).
  const { MongoDbKeyStore } = await import('./mongodb/mongodb-key-store.js');
  return new CachedKeyStore(await MongoDbKeyStore.connect(config.keyStore.uri, config.keyStore.database));
}

/** The configured log behind the crypto-shredding decorator: what every reader and writer of events uses. */
export async function openPersonalDataEventStore(config: Config): Promise<{ eventStore: EventStore; keys: KeyStore }> {
  const keys = await openKeyStore(config);
  return { keys, eventStore: new PersonalDataEventStore(await openEventStore(config), keys, { closeKeys: true }) };
}
