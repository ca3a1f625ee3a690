import { afterAll, describe, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import type { DocumentStore } from '../document-store.port.js';
import { MongoDbDocumentStore } from '../mongodb/mongodb-document-store.js';
import { SqliteDocumentStore } from '../sqlite/sqlite-document-store.js';

/** Opens a DocumentStore over an empty database; the suite closes and drops it afterwards. */
export type OpenDocumentStore = () => Promise<DocumentStore>;

const howToStart = 'start FerretDB with `export MONGODB_URI=$(bash test/support/ferretdb.sh start)`';

/**
 * Declares the suite once against the embedded SQLite store (in memory), and once against MONGODB_URI when it is
 * set (with CI=true a missing server fails the suite; otherwise it is skipped with a note).
 */
export function describeWithDocumentStores(title: string, suite: (open: OpenDocumentStore) => void): void {
  describe(`${title} (SqliteDocumentStore)`, () => suite(async () => SqliteDocumentStore.open(':memory:')));

  const uri = process.env.MONGODB_URI;
  if (uri) {
    const databases: string[] = [];
    const stores: DocumentStore[] = [];
    describe(`${title} (MongoDbDocumentStore)`, () => {
      suite(async () => {
        const name = `projections_test_${process.pid}_${Date.now()}_${databases.length}`;
        databases.push(name);
        const store = await MongoDbDocumentStore.connect(uri, name);
        stores.push(store);
        return store;
      });
      afterAll(async () => {
        await Promise.all(stores.map((store) => store.close()));
        const client = await MongoClient.connect(uri);
        for (const name of databases) await client.db(name).dropDatabase();
        await client.close();
      });
    });
  } else if (process.env.CI === 'true') {
    describe(`${title} (MongoDbDocumentStore)`, () => {
      it('needs a MongoDB-protocol server', () => {
        throw new Error(`MONGODB_URI is not set; ${howToStart}`);
      });
    });
  } else {
    console.warn(`Skipping ${title} on MongoDB: MONGODB_URI is not set; ${howToStart}`);
    describe.skip(`${title} (MongoDbDocumentStore)`, () => {
      it('runs against MONGODB_URI', () => undefined);
    });
  }
}

/** Every document of each collection, sorted by `_id`: what two read models are compared by. */
export async function snapshotOf(store: DocumentStore, collections: readonly string[]): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const name of collections) snapshot[name] = await store.collection(name).find({}, { sort: { _id: 1 } });
  return snapshot;
}
