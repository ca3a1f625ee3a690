import { describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { MongoDbDocumentStore } from '../../libs/document-store/mongodb/mongodb-document-store.js';

const uri = process.env.MONGODB_URI;

/**
 * FerretDB 1.24's `update` command keeps each statement's query iterator, one backend connection
 * each, until the whole command ends (handler/msg_update.go, `defer closer.Close()` in the loop),
 * and each statement then needs one more connection for its write: one bulk write of 100
 * replacements of existing documents takes the SQLite backend's 100 connections of a database and
 * waits for a 101st, forever, and so does every later command on that database (the outage
 * fault of docs/notes/issue-11.md, reached there by several smaller ones at once). The adapter
 * sends FerretDB each update of a bulk write as a command of its own.
 */
describe('MongoDbDocumentStore bulk writes of many updates', () => {
  it('replaces 150 existing documents in one bulk write, and the database still answers', async () => {
    if (!uri) throw new Error('MONGODB_URI is not set: start FerretDB with `export MONGODB_URI=$(bash test/support/ferretdb.sh start)`');
    const database = `bulk_updates_${process.pid}`;
    const store = await MongoDbDocumentStore.connect(uri, database);
    try {
      const documents = store.collection<{ _id: string; n: number }>('many');
      const ids = Array.from({ length: 150 }, (_, i) => `d${i}`);
      await documents.insertMany(ids.map((_id) => ({ _id, n: 0 })));
      const result = await documents.bulkWrite([
        ...ids.map((_id) => ({ replaceOne: { filter: { _id }, replacement: { _id, n: 1 } } })),
        { deleteOne: { filter: { _id: 'd0' } } },
        { updateOne: { filter: { _id: 'd1' }, update: { $set: { n: 2 } } } },
      ]);
      expect(result).toEqual({ matched: 151, modified: 151, upserted: 0, deleted: 1 });
      expect(await documents.count({ n: 1 })).toBe(148);
      expect(await documents.findOne({ _id: 'd1' })).toEqual({ _id: 'd1', n: 2 });
    } finally {
      await store.close();
      const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 3_000 }).catch(() => null);
      await client?.db(database).dropDatabase().catch(() => undefined);
      await client?.close();
    }
  });
});
