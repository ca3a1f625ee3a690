import { afterAll } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { describeWithMongoDb } from '../../document-store/testing/describe-with-mongodb.js';
import { keyStoreContract } from '../key-store.contract.js';
import type { KeyStore } from '../key-store.port.js';
import { MongoDbKeyStore } from './mongodb-key-store.js';

describeWithMongoDb('MongoDbKeyStore (FerretDB)', (uri) => {
  const database = `key_store_test_${process.pid}_${Date.now()}`;
  const opened: KeyStore[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    const client = await MongoClient.connect(uri);
    await client.db(database).dropDatabase();
    await client.close();
  });

  keyStoreContract(async () => {
    const store = await MongoDbKeyStore.connect(uri, database);
    opened.push(store);
    return store;
  });
});
