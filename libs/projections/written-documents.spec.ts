import { beforeEach, expect, it } from '@jest/globals';
import type { DocumentCollection, DocumentStore } from '../document-store/document-store.port.js';
import { describeWithDocumentStores } from '../document-store/testing/document-store-targets.js';
import { WrittenDocuments } from './written-documents.js';

type Doc = { _id: string; position: number; name: string };

const doc = (id: string, position: number, name = `${id}@${position}`): Doc => ({ _id: id, position, name });

describeWithDocumentStores('what a projection remembers writing to a collection it owns', (open) => {
  let store: DocumentStore;
  let collection: DocumentCollection<Doc>;
  let written: WrittenDocuments<Doc>;
  let reads: number;

  beforeEach(async () => {
    store = await open();
    const real = store.collection<Doc>('owned');
    reads = 0;
    // Counts the reads that reach the store.
    collection = Object.assign(Object.create(real) as DocumentCollection<Doc>, {
      find: (...args: Parameters<DocumentCollection<Doc>['find']>) => {
        reads++;
        return real.find(...args);
      },
    });
    written = new WrittenDocuments<Doc>(2, 4);
    failing = false;
  });

  const inStore = () => store.collection<Doc>('owned').find({}, { sort: { _id: 1 } });
  /** The collection, failing its writes while `failing` is set (after inserting the first of an insertMany). */
  let failing = false;
  const failable = () =>
    Object.assign(Object.create(collection) as DocumentCollection<Doc>, {
      insertMany: async (docs: Doc[]) => {
        if (!failing) return collection.insertMany(docs);
        await collection.insertMany(docs.slice(0, 1));
        throw new Error('connection lost');
      },
      bulkWrite: (...args: Parameters<DocumentCollection<Doc>['bulkWrite']>) => (failing ? Promise.reject(new Error('connection lost')) : collection.bulkWrite(...args)),
    });

  it('holds its writes back and answers them without reading; flushed, each is inserted once', async () => {
    await written.write(collection, [doc('a', 1), doc('b', 2)]);
    await written.write(collection, [doc('a', 3)]);
    expect(await inStore()).toEqual([]);
    const found = await written.read(collection, ['a', 'b', 'never']);
    expect(Object.fromEntries(found)).toEqual({ a: doc('a', 3), b: doc('b', 2) });
    expect(reads).toBe(0);
    await written.flush();
    expect(await inStore()).toEqual([doc('a', 3), doc('b', 2)]);
  });

  it('sends the oldest half of what it holds when it outgrows its bound (four held here)', async () => {
    await written.write(collection, [doc('a', 1), doc('b', 2), doc('c', 3), doc('d', 4)]);
    expect(await inStore()).toEqual([]);
    await written.write(collection, [doc('e', 5)]);
    expect(await inStore()).toEqual([doc('a', 1), doc('b', 2), doc('c', 3)]);
  });

  it('reads back only the documents it sent and no longer remembers (two remembered here)', async () => {
    await written.write(collection, [doc('a', 1), doc('b', 2), doc('c', 3)]);
    await written.flush();
    const found = await written.read(collection, ['a', 'b', 'c']);
    expect(Object.fromEntries(found)).toEqual({ a: doc('a', 1), b: doc('b', 2), c: doc('c', 3) });
    expect(reads).toBe(1);
  });

  it('replaces a document sent before, also one deleted since', async () => {
    await written.write(collection, [doc('a', 1), doc('b', 2)]);
    await written.flush();
    await collection.deleteMany({ _id: { $in: ['b'] } });
    written.forget(['b']);
    await written.write(collection, [doc('a', 5), doc('b', 6)]);
    await written.flush();
    expect(await inStore()).toEqual([doc('a', 5), doc('b', 6)]);
    expect(Object.fromEntries(await written.read(collection, ['a', 'b']))).toEqual({ a: doc('a', 5), b: doc('b', 6) });
  });

  it('never sends a document forgotten (deleted) while held', async () => {
    await written.write(collection, [doc('a', 1), doc('b', 2)]);
    written.forget(['b']);
    await written.flush();
    expect(await inStore()).toEqual([doc('a', 1)]);
  });

  it('reads a document back after a write it did not make (a sweep) once told to forget all', async () => {
    await written.write(collection, [doc('a', 1)]);
    await written.flush();
    await collection.updateMany({}, { $set: { name: 'swept' } });
    written.forgetAll();
    expect((await written.read(collection, ['a'])).get('a')).toEqual(doc('a', 1, 'swept'));
    expect(reads).toBe(1);
  });

  it('keeps what a failed send did not confirm, answers it from memory, and upserts it on the next send', async () => {
    await written.write(collection, [doc('a', 1)]);
    await written.flush();
    await written.write(failable(), [doc('a', 2), doc('n', 2), doc('m', 2)]);
    failing = true;
    await expect(written.flush()).rejects.toThrow('connection lost');
    // `n` was inserted before the insert failed; `a` stayed at 1 in the store.
    expect(await inStore()).toEqual([doc('a', 1), doc('n', 2)]);
    expect(Object.fromEntries(await written.read(collection, ['a', 'n', 'm']))).toEqual({ a: doc('a', 2), n: doc('n', 2), m: doc('m', 2) });
    expect(reads).toBe(0);
    failing = false;
    await written.flush();
    expect(await inStore()).toEqual([doc('a', 2), doc('m', 2), doc('n', 2)]);
  });
});
