import type { AppConfig } from '../shared-kernel/config.js';
import type { DocumentStore } from './document-store/document-store.port.js';
import { MemoryDocumentStore } from './document-store/memory/memory-document-store.js';
import { MongoDbDocumentStore } from './document-store/mongodb/mongodb-document-store.js';

/** MongoDB when a URI is configured, else in-memory read models (rebuilt from the log at start). */
export async function openDocumentStore(config: Pick<AppConfig, 'mongodbUri' | 'mongodbDatabase'>): Promise<DocumentStore> {
  return config.mongodbUri ? MongoDbDocumentStore.connect(config.mongodbUri, config.mongodbDatabase) : new MemoryDocumentStore();
}
