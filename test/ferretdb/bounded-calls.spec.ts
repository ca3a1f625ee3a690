import { describe, expect, it } from '@jest/globals';
import { MongoDbDocumentStore } from '../../libs/document-store/mongodb/mongodb-document-store.js';
import { CALL_LIMIT_MS } from '../../libs/document-store/mongodb/bounded-mongodb.js';
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

  /**
   * The FerretDB outage fault (docs/notes/issue-11.md): a call given up by closing its connection
   * leaves the server running the command, and the next call goes out on a new connection, so
   * the server could end up with far more of our updates than maxPoolSize, until FerretDB 1.24
   * deadlocked the database. A call given up at CALL_LIMIT_MS keeps its connection until the
   * server answers: while it is silent, no new connection and no second command reach it.
   */
  it('gives up on a call at its limit without closing its connection: no new connection while the server is silent', async () => {
    if (!uri) throw new Error('MONGODB_URI is not set: start FerretDB with `export MONGODB_URI=$(bash test/support/ferretdb.sh start)`');
    const { hostname, port } = new URL(uri);
    const proxy = await startFreezableProxy(hostname, Number(port));
    // One connection in the pool; no heartbeat during the test (a failed heartbeat closes the pool's connections on purpose).
    const store = await MongoDbDocumentStore.connect(
      `mongodb://127.0.0.1:${proxy.port}/?maxPoolSize=1&heartbeatFrequencyMS=60000&directConnection=true`,
      `bounded_calls_${process.pid}`,
    );
    try {
      const documents = store.collection<{ _id: string; n: number }>('silent');
      await documents.replaceOne({ _id: 'a' }, { _id: 'a', n: 1 }, { upsert: true });
      const connectionsBefore = proxy.accepted();
      proxy.freeze();
      const started = Date.now();
      await expect(documents.replaceOne({ _id: 'a' }, { _id: 'a', n: 2 }, { upsert: true })).rejects.toBeInstanceOf(DocumentStoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(CALL_LIMIT_MS + 1_000);
      // The next call finds the only connection still out (the pool's wait, 3 s), not a new one to the server.
      await expect(documents.findOne({ _id: 'a' })).rejects.toBeInstanceOf(DocumentStoreUnavailableError);
      expect(proxy.accepted()).toBe(connectionsBefore);
      proxy.thaw();
      // The server answers the first call; its connection comes back and serves the next one.
      expect(await documents.findOne({ _id: 'a' })).toEqual({ _id: 'a', n: 2 });
      expect(proxy.accepted()).toBe(connectionsBefore);
      await store.dropCollection('silent');
    } finally {
      proxy.thaw();
      await store.close();
      await proxy.close();
    }
  }, 30_000);
  /**
   * The outage test's checkpoints behind the head (docs/notes/issue-11.md): a write given up on
   * still runs once the server answers, and FerretDB 1.24 loses one of two concurrent updates of
   * a document, so a later write sent beside it could be overwritten by it. The collection's next
   * write waits until the given-up one is answered, and then lands after it.
   */
  it('sends a collection\'s next write only once the write given up on has been answered, so that it lands last', async () => {
    if (!uri) throw new Error('MONGODB_URI is not set: start FerretDB with `export MONGODB_URI=$(bash test/support/ferretdb.sh start)`');
    const { hostname, port } = new URL(uri);
    const proxy = await startFreezableProxy(hostname, Number(port));
    const store = await MongoDbDocumentStore.connect(
      `mongodb://127.0.0.1:${proxy.port}/?heartbeatFrequencyMS=60000&directConnection=true`,
      `bounded_calls_${process.pid}`,
    );
    try {
      const checkpoints = store.collection<{ _id: string; position: number }>('given_up');
      await checkpoints.updateOne({ _id: 'views' }, { $max: { position: 20 } }, { upsert: true });
      proxy.freeze();
      await expect(checkpoints.updateOne({ _id: 'views' }, { $max: { position: 21 } })).rejects.toBeInstanceOf(DocumentStoreUnavailableError);
      const connectionsBefore = proxy.accepted();
      // Through another handle on the same collection, as a loop's next batch would.
      const next = store.collection<{ _id: string; position: number }>('given_up').updateOne({ _id: 'views' }, { $set: { position: 25 } });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // Not sent: a pool with free room would have opened a connection for it.
      expect(proxy.accepted()).toBe(connectionsBefore);
      proxy.thaw();
      await expect(next).resolves.toMatchObject({ matched: 1 });
      expect(await checkpoints.findOne({ _id: 'views' })).toEqual({ _id: 'views', position: 25 });
      await store.dropCollection('given_up');
    } finally {
      proxy.thaw();
      await store.close();
      await proxy.close();
    }
  }, 30_000);
});
