import { afterAll, describe, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { describeDocumentStoreContract } from '../document-store.contract.js';
import { MongoDbDocumentStore } from './mongodb-document-store.js';

const uri = process.env.MONGODB_URI;
const howToStart = 'start FerretDB with `export MONGODB_URI=$(bash test/support/ferretdb.sh start)`';

if (uri) {
  const dbName = `document_store_test_${process.pid}_${Date.now()}`;

  describeDocumentStoreContract('MongoDbDocumentStore', () => MongoDbDocumentStore.connect(uri, dbName));

  afterAll(async () => {
    const client = await MongoClient.connect(uri);
    await client.db(dbName).dropDatabase();
    await client.close();
  });
} else if (process.env.CI === 'true') {
  describe('MongoDbDocumentStore', () => {
    it('needs a MongoDB-protocol server', () => {
      throw new Error(`MONGODB_URI is not set; ${howToStart}`);
    });
  });
} else {
  console.warn(`Skipping the MongoDbDocumentStore contract: MONGODB_URI is not set; ${howToStart}`);
  describe.skip('MongoDbDocumentStore', () => {
    it('runs the DocumentStore contract against MONGODB_URI', () => undefined);
  });
}
