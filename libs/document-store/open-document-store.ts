import { join } from 'node:path';
import type { AppConfig } from '../config/config.js';
import type { DocumentStore } from './document-store.port.js';
import { SqliteDocumentStore } from './sqlite/sqlite-document-store.js';

/**
 * MongoDB when a URI is configured, else the embedded SQLite read models in
 * `DATA_DIR/read-models.sqlite`. The MongoDB driver is loaded only when configured.
 */
export async function openDocumentStore(config: Pick<AppConfig, 'dataDir' | 'mongodbUri' | 'mongodbDatabase'>): Promise<DocumentStore> {
  if (!config.mongodbUri) return SqliteDocumentStore.open(join(config.dataDir, 'read-models.sqlite'));
  const { MongoDbDocumentStore } = await import('./mongodb/mongodb-document-store.js');
  return MongoDbDocumentStore.connect(config.mongodbUri, config.mongodbDatabase);
}

/** Where the read models live, for messages to operators (no credentials). */
export function readModelsLocation(config: Pick<AppConfig, 'dataDir' | 'mongodbUri' | 'mongodbDatabase'>): string {
  return config.mongodbUri
    ? `MongoDB database "${config.mongodbDatabase}" (MONGODB_URI, MONGODB_DATABASE)`
    : `${join(config.dataDir, 'read-models.sqlite')} (DATA_DIR)`;
}
