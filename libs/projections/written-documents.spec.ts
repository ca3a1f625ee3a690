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
    written = new WrittenDocuments<Doc>(2);
  });

  it('answers what it wrote without reading, and nothing for an id never written', async () => {
    await written.write(collection, [doc('a', 1), doc('b', 2)]);
    const found = await written.read(collection, ['a', 'b', 'never']);
    expect(Object.fromEntries(found)).toEqual({ a: doc('a', 1), b: doc('b', 2) });
    expect(reads).toBe(0);
    expect(await store.collection('owned').find({}, { sort: { _id: 1 } })).toEqual([doc('a', 1), doc('b', 2)]);
  });

  it('reads back only the documents it wrote and no longer remembers (two remembered here)', async () => {
    await written.write(collection, [doc('a', 1), doc('b', 2), doc('c', 3)]);
    const found = await written.read(collection, ['a', 'b', 'c']);
    expect(Object.fromEntries(found)).toEqual({ a: doc('a', 1), b: doc('b', 2), c: doc('c', 3) });
    expect(reads).toBe(1);
  });

  it('replaces a document written before, also one deleted since', async () => {
    await written.write(collection, [doc('a', 1), doc('b', 2)]);
    await collection.deleteMany({ _id: { $in: ['b'] } });
    written.forget(['b']);
    await written.write(collection, [doc('a', 5), doc('b', 6)]);
    expect(await store.collection('owned').find({}, { sort: { _id: 1 } })).toEqual([doc('a', 5), doc('b', 6)]);
    expect(Object.fromEntries(await written.read(collection, ['a', 'b']))).toEqual({ a: doc('a', 5), b: doc('b', 6) });
  });

  it('reads a document back after a write it did not make (a sweep) once told to forget all', async () => {
    await written.write(collection, [doc('a', 1)]);
    await collection.updateMany({}, { $set: { name: 'swept' } });
    written.forgetAll();
    expect((await written.read(collection, ['a'])).get('a')).toEqual(doc('a', 1, 'swept'));
    expect(reads).toBe(1);
  });

  it('after a failed write, reads back what landed of it instead of trusting what it meant to write', async () => {
    await written.write(collection, [doc('a', 1)]);
    const failing = Object.assign(Object.create(collection) as DocumentCollection<Doc>, {
      bulkWrite: () => Promise.reject(new Error('connection lost')),
    });
    await expect(written.write(failing, [doc('a', 2), doc('n', 2)])).rejects.toThrow('connection lost');
    // `n` was inserted before the replacement of `a` failed; `a` stayed at 1.
    const found = await written.read(collection, ['a', 'n']);
    expect(Object.fromEntries(found)).toEqual({ a: doc('a', 1), n: doc('n', 2) });
    expect(reads).toBe(1);
  });
});
