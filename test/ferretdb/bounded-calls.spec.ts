import { describe, expect, it } from '@jest/globals';
import { MongoDbDocumentStore } from '../../libs/document-store/mongodb/mongodb-document-store.js';
import { DocumentStoreUnavailableError } from '../../libs/document-store/document-store.port.js';
import { startFreezableProxy } from '../support/freezable-proxy.js';

const uri = process.env.MONGODB_URI;

/** A store call to a server that stops answering ends in DocumentStoreUnavailableError (→ 503), whatever the driver wraps it in. */
describe('MongoDbDocumentStore, its server frozen', () => {
  it('turns a server that stops answering into DocumentStoreUnavailableError, bulk writes included', async () => {
    if (!uri) throw new Error('MONGODB_URI is not set: start FerretDB with `export MONGODB_URI=$(bash test/support/ferretdb.sh start)`');
    const { hostname, port } = new URL(uri);
    const proxy = await startFreezableProxy(hostname, Number(port));
    const store = await MongoDbDocumentStore.connect(`mongodb://127.0.0.1:${proxy.port}/?socketTimeoutMS=500&directConnection=true`, `bounded_calls_${process.pid}`);
    try {
      const documents = store.collection<{ _id: string; n: number }>('frozen');
      await documents.bulkWrite([{ replaceOne: { filter: { _id: 'a' }, replacement: { _id: 'a', n: 1 }, upsert: true } }]);
      proxy.freeze();
      await expect(documents.bulkWrite([{ replaceOne: { filter: { _id: 'a' }, replacement: { _id: 'a', n: 2 }, upsert: true } }])).rejects.toBeInstanceOf(
        DocumentStoreUnavailableError,
      );
      await expect(documents.findOne({ _id: 'a' })).rejects.toBeInstanceOf(DocumentStoreUnavailableError);
      proxy.thaw();
      await store.dropCollection('frozen');
    } finally {
      proxy.thaw();
      await store.close();
      await proxy.close();
    }
  });
});
