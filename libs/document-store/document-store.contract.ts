import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { isDuplicateKeyError, type DocumentCollection, type DocumentStore } from './document-store.port.js';
import { guardedUpsert } from './guarded-upsert.js';

interface Contact {
  _id: string;
  name?: string;
  tokens?: string[];
  position?: number;
  email?: string;
  address?: { country: string; city?: string };
  createdAt?: number;
}

const ann: Contact = { _id: 'c1', name: 'Ann', tokens: ['ann', 'lee'], email: 'ann@example.com', address: { country: 'NL' } };
const bob: Contact = { _id: 'c2', name: 'Bob', tokens: ['bob', 'lee'], address: { country: 'DE', city: 'Berlin' } };
const cid: Contact = { _id: 'c3', name: 'Cid', tokens: ['cid', 'annabel'] };

const ids = (docs: { _id: string }[]) => docs.map((doc) => doc._id);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the operation to be rejected');
    },
    (error: unknown) => error,
  );
}

/** The behaviour every DocumentStore adapter must share. `makeStore` returns a store over an empty database. */
export function describeDocumentStoreContract(name: string, makeStore: () => Promise<DocumentStore>): void {
  describe(`${name} (DocumentStore contract)`, () => {
    let store: DocumentStore;
    let contacts: DocumentCollection<Contact>;

    beforeEach(async () => {
      store = await makeStore();
      contacts = store.collection<Contact>('contacts');
    });

    afterEach(async () => {
      for (const collection of await store.listCollections()) await store.dropCollection(collection);
      await store.close();
    });

    describe('reads', () => {
      beforeEach(async () => {
        await contacts.insertMany([ann, bob, cid]);
      });

      it('finds one document by _id, or null', async () => {
        expect(await contacts.findOne({ _id: 'c2' })).toEqual(bob);
        expect(await contacts.findOne({ _id: 'missing' })).toBeNull();
      });

      it('finds documents by many ids: unknown ids left out, the other conditions still tested', async () => {
        expect(await contacts.find({ _id: { $in: ['c3', 'nobody', 'c1', 'c3'] } }, { sort: { _id: 1 } })).toEqual([ann, cid]);
        expect(ids(await contacts.find({ name: 'Bob', _id: { $in: ['c1', 'c2'] } }))).toEqual(['c2']);
        expect(await contacts.find({ _id: { $in: ['nobody', 'nobody else'] } })).toEqual([]);
        expect(await contacts.find({ _id: { $in: [] } })).toEqual([]);
      });

      it('matches dotted paths, array elements, $in, $exists, $and and $or', async () => {
        expect(ids(await contacts.find({ 'address.country': 'DE' }))).toEqual(['c2']);
        expect(ids(await contacts.find({ tokens: 'lee' }, { sort: { _id: 1 } }))).toEqual(['c1', 'c2']);
        expect(ids(await contacts.find({ _id: { $in: ['c3', 'c1'] } }, { sort: { _id: 1 } }))).toEqual(['c1', 'c3']);
        expect(ids(await contacts.find({ email: { $exists: false } }, { sort: { _id: 1 } }))).toEqual(['c2', 'c3']);
        expect(ids(await contacts.find({ $and: [{ tokens: 'lee' }, { name: { $eq: 'Bob' } }] }))).toEqual(['c2']);
        expect(ids(await contacts.find({ $or: [{ name: 'Ann' }, { 'address.city': 'Berlin' }] }, { sort: { _id: 1 } }))).toEqual(['c1', 'c2']);
      });

      it('matches $in on an indexed array path and an indexed compound key, each document once', async () => {
        await contacts.createIndex({ tokens: 1 });
        await contacts.createIndex({ name: 1, tokens: 1 });
        expect(ids(await contacts.find({ tokens: { $in: ['lee', 'cid', 'nobody'] } }, { sort: { _id: 1 } }))).toEqual(['c1', 'c2', 'c3']);
        expect(ids(await contacts.find({ tokens: { $in: ['lee', 'ann'] } }, { sort: { _id: -1 } }))).toEqual(['c2', 'c1']);
        expect(ids(await contacts.find({ name: 'Bob', tokens: { $in: ['lee', 'ann'] } }))).toEqual(['c2']);
        expect(await contacts.count({ tokens: { $in: [] } })).toBe(0);
      });

      it('compares with $gt, $gte, $lt and $lte', async () => {
        expect(ids(await contacts.find({ name: { $gt: 'Ann', $lte: 'Cid' } }, { sort: { _id: 1 } }))).toEqual(['c2', 'c3']);
        expect(ids(await contacts.find({ name: { $gte: 'Ann', $lt: 'Bob' } }))).toEqual(['c1']);
      });

      it('sorts, skips, limits and projects', async () => {
        const page = await contacts.find<{ _id: string; name: string }>(
          {},
          { sort: { name: -1 }, skip: 1, limit: 1, projection: { name: 1 } },
        );
        expect(page).toEqual([{ _id: 'c2', name: 'Bob' }]);
        expect(await contacts.find({ _id: 'c1' }, { projection: { _id: 0, tokens: 1 } })).toEqual([{ tokens: ['ann', 'lee'] }]);
      });

      it('counts matching documents', async () => {
        expect(await contacts.count({})).toBe(3);
        expect(await contacts.count({ tokens: 'lee' })).toBe(2);
        expect(await contacts.count({ tokens: 'nobody' })).toBe(0);
      });

      it('searches tokens with $all and with an anchored prefix $regex', async () => {
        expect(ids(await contacts.find({ tokens: { $all: ['lee', 'ann'] } }))).toEqual(['c1']);
        expect(ids(await contacts.find({ tokens: { $regex: '^ann' } }, { sort: { _id: 1 } }))).toEqual(['c1', 'c3']);
        expect(ids(await contacts.find({ $and: [{ tokens: { $all: ['lee'] } }, { tokens: { $regex: '^bo' } }] }))).toEqual(['c2']);
      });

      it('returns copies: changing a result or an inserted object does not change the store', async () => {
        const found = (await contacts.findOne({ _id: 'c1' }))!;
        found.tokens!.push('mutated');
        const inserted: Contact = { _id: 'c4', tokens: ['dee'] };
        await contacts.insertMany([inserted]);
        inserted.tokens!.push('mutated');
        expect((await contacts.findOne({ _id: 'c1' }))!.tokens).toEqual(['ann', 'lee']);
        expect((await contacts.findOne({ _id: 'c4' }))!.tokens).toEqual(['dee']);
      });
    });

    it('sorts along an index with a descending key, in either direction, with a filter the index does not hold', async () => {
      await contacts.createIndex({ name: 1, position: -1 });
      await contacts.insertMany([1, 2, 3, 4, 5].map((position) => ({ _id: `p${position}`, name: 'Ann', position, createdAt: position * 10 })));
      const filter = { name: 'Ann', createdAt: { $lte: 35 } };
      expect(ids(await contacts.find(filter, { sort: { position: -1 }, limit: 1 }))).toEqual(['p3']);
      expect(ids(await contacts.find(filter, { sort: { position: 1 }, limit: 2 }))).toEqual(['p1', 'p2']);
      expect(ids(await contacts.find({ name: 'Ann' }, { sort: { position: -1 } }))).toEqual(['p5', 'p4', 'p3', 'p2', 'p1']);
    });

    it('builds an index over stored documents (pages of them) that answers as one made before them', async () => {
      const documents = Array.from({ length: 2_500 }, (_, i) => ({ _id: `d${String(i).padStart(4, '0')}`, name: i % 3 ? 'Ann' : 'Bob', tokens: [`t${i % 7}`, `u${i % 11}`], position: i }));
      await contacts.insertMany(documents);
      await contacts.createIndex({ tokens: 1, position: -1 });
      const indexedFirst = store.collection<Contact>('indexed-first');
      await indexedFirst.createIndex({ tokens: 1, position: -1 });
      await indexedFirst.insertMany(documents);
      for (const filter of [{ tokens: 't3' }, { tokens: { $in: ['t1', 'u5'] }, position: { $gte: 1_200 } }, { tokens: 'u10', name: 'Bob' }]) {
        const expected = ids(await indexedFirst.find(filter, { sort: { position: -1 }, limit: 40 }));
        expect(expected.length).toBeGreaterThan(0);
        expect(ids(await contacts.find(filter, { sort: { position: -1 }, limit: 40 }))).toEqual(expected);
        expect(await contacts.count(filter)).toBe(await indexedFirst.count(filter));
      }
    });

    it('refuses a unique index that the stored documents break, making no index', async () => {
      await contacts.insertMany([ann, { _id: 'c9', email: ann.email }, bob]);
      expect(isDuplicateKeyError(await rejection(contacts.createIndex({ email: 1 }, { unique: true })))).toBe(true);
      await contacts.insertMany([{ _id: 'c10', email: ann.email }]);
      expect(ids(await contacts.find({ email: ann.email }, { sort: { _id: 1 } }))).toEqual(['c1', 'c10', 'c9']);
    });

    it('pages through equal sort keys with a keyset cursor on (field, _id)', async () => {
      const names = ['Eve', 'Ann', 'Eve', 'Bob', 'Ann', 'Eve', 'Cid'];
      await contacts.insertMany(names.map((n, i) => ({ _id: `k${i}`, name: n })));
      const sort = { name: 1, _id: 1 } as const;
      const pages: string[][] = [];
      let after: Contact | undefined;
      for (;;) {
        const filter = after
          ? { $or: [{ name: { $gt: after.name } }, { name: after.name, _id: { $gt: after._id } }] }
          : {};
        const page = await contacts.find(filter, { sort, limit: 3 });
        if (page.length === 0) break;
        pages.push(ids(page));
        after = page[page.length - 1];
      }
      expect(pages).toEqual([['k1', 'k4', 'k3'], ['k6', 'k0', 'k2'], ['k5']]);
      expect(pages.flat()).toEqual(ids(await contacts.find({}, { sort })));
    });

    describe('updates', () => {
      beforeEach(async () => {
        await contacts.insertMany([{ ...ann, position: 5 }]);
      });

      it('applies $set on dotted paths, $unset, $addToSet and $max', async () => {
        const result = await contacts.updateOne(
          { _id: 'c1' },
          { $set: { 'address.city': 'Delft' }, $unset: { email: '' }, $addToSet: { tokens: 'delft' }, $max: { position: 9 } },
        );
        expect(result).toEqual({ matched: 1, modified: 1, upserted: false });
        expect(await contacts.findOne({ _id: 'c1' })).toEqual({
          _id: 'c1',
          name: 'Ann',
          tokens: ['ann', 'lee', 'delft'],
          address: { country: 'NL', city: 'Delft' },
          position: 9,
        });
      });

      it('applies $pull and reports an update that changes nothing as not modified', async () => {
        await contacts.updateOne({ _id: 'c1' }, { $pull: { tokens: 'lee' } });
        expect((await contacts.findOne({ _id: 'c1' }))!.tokens).toEqual(['ann']);
        const unchanged = await contacts.updateOne({ _id: 'c1' }, { $addToSet: { tokens: 'ann' }, $max: { position: 1 } });
        expect(unchanged).toEqual({ matched: 1, modified: 0, upserted: false });
        expect(await contacts.findOne({ _id: 'c1' })).toMatchObject({ tokens: ['ann'], position: 5 });
      });

      it('does nothing without a match unless asked to upsert', async () => {
        expect(await contacts.updateOne({ _id: 'c9' }, { $set: { name: 'Zoe' } })).toEqual({ matched: 0, modified: 0, upserted: false });
        expect(await contacts.findOne({ _id: 'c9' })).toBeNull();
      });

      it('upserts from the filter equalities and applies $setOnInsert only on insert', async () => {
        const inserted = await contacts.updateOne(
          { _id: 'c9', 'address.country': 'FR' },
          { $set: { name: 'Zoe' }, $setOnInsert: { createdAt: 1 } },
          { upsert: true },
        );
        expect(inserted).toEqual({ matched: 0, modified: 0, upserted: true });
        await contacts.updateOne({ _id: 'c9' }, { $set: { name: 'Zoé' }, $setOnInsert: { createdAt: 2 } }, { upsert: true });
        expect(await contacts.findOne({ _id: 'c9' })).toEqual({ _id: 'c9', address: { country: 'FR' }, name: 'Zoé', createdAt: 1 });
      });

      it('updates every match with updateMany', async () => {
        await contacts.insertMany([bob, cid]);
        expect(await contacts.updateMany({ tokens: 'lee' }, { $addToSet: { tokens: 'family' } })).toEqual({ matched: 2, modified: 2 });
        expect(ids(await contacts.find({ tokens: 'family' }, { sort: { _id: 1 } }))).toEqual(['c1', 'c2']);
      });

      it('replaces a document, upserts a replacement, and ignores a miss without upsert', async () => {
        expect(await contacts.replaceOne({ _id: 'c1' }, { _id: 'c1', name: 'Anne' })).toEqual({ matched: 1, modified: 1, upserted: false });
        expect(await contacts.findOne({ _id: 'c1' })).toEqual({ _id: 'c1', name: 'Anne' });
        expect(await contacts.replaceOne({ _id: 'c7' }, { _id: 'c7', name: 'Kay' })).toEqual({ matched: 0, modified: 0, upserted: false });
        expect(await contacts.replaceOne({ _id: 'c7' }, { _id: 'c7', name: 'Kay' }, { upsert: true })).toEqual({ matched: 0, modified: 0, upserted: true });
        expect(await contacts.findOne({ _id: 'c7' })).toEqual({ _id: 'c7', name: 'Kay' });
      });
    });

    describe('revision-guarded idempotent writes', () => {
      const applyAt = (position: number, name: string) =>
        guardedUpsert(contacts, { _id: 'c1', position: { $lt: position } }, { $set: { position, name } });

      it('applies each position once: new and newer positions apply, replayed and older ones do not', async () => {
        expect(await applyAt(3, 'Ann')).toBe('applied');
        expect(await applyAt(5, 'Anne')).toBe('applied');
        expect(await applyAt(5, 'Anne again')).toBe('already-applied');
        expect(await applyAt(4, 'Older')).toBe('already-applied');
        expect(await contacts.find({})).toEqual([{ _id: 'c1', position: 5, name: 'Anne' }]);
      });

      it('surfaces a rejected guard on a raw upsert as a duplicate-key error', async () => {
        await applyAt(5, 'Anne');
        const error = await rejection(contacts.updateOne({ _id: 'c1', position: { $lt: 2 } }, { $set: { position: 2 } }, { upsert: true }));
        expect(isDuplicateKeyError(error)).toBe(true);
        expect(await contacts.count({})).toBe(1);
      });

      it('rethrows a duplicate key of another unique index instead of calling it applied', async () => {
        await contacts.createIndex({ email: 1 }, { unique: true });
        await contacts.insertMany([{ _id: 'c2', email: 'taken@example.com' }]);
        const error = await rejection(
          guardedUpsert(contacts, { _id: 'c1', position: { $lt: 1 } }, { $set: { position: 1, email: 'taken@example.com' } }),
        );
        expect(isDuplicateKeyError(error)).toBe(true);
        expect(await contacts.findOne({ _id: 'c1' })).toBeNull();
      });
    });

    describe('bulk writes', () => {
      it('runs updates, replacements and deletes in order and sums their results', async () => {
        await contacts.insertMany([ann, bob, cid]);
        const result = await contacts.bulkWrite([
          { updateOne: { filter: { _id: 'c1' }, update: { $set: { name: 'Anne' } } } },
          { updateOne: { filter: { _id: 'c8' }, update: { $set: { name: 'Ike' } }, upsert: true } },
          { replaceOne: { filter: { _id: 'c2' }, replacement: { _id: 'c2', name: 'Bo' } } },
          { replaceOne: { filter: { _id: 'c9' }, replacement: { _id: 'c9', name: 'Jo' }, upsert: true } },
          { deleteOne: { filter: { _id: 'c3' } } },
          { deleteMany: { filter: { name: { $in: ['Ike', 'Jo'] } } } },
        ]);
        expect(result).toEqual({ matched: 2, modified: 2, upserted: 2, deleted: 3 });
        expect(await contacts.find({}, { sort: { _id: 1 }, projection: { name: 1 } })).toEqual([
          { _id: 'c1', name: 'Anne' },
          { _id: 'c2', name: 'Bo' },
        ]);
      });

      it('stops at the first failure, keeping the writes before it', async () => {
        await contacts.insertMany([{ _id: 'c1', position: 5 }]);
        const error = await rejection(
          contacts.bulkWrite([
            { updateOne: { filter: { _id: 'c2' }, update: { $set: { position: 1 } }, upsert: true } },
            { updateOne: { filter: { _id: 'c1', position: { $lt: 1 } }, update: { $set: { position: 1 } }, upsert: true } },
            { updateOne: { filter: { _id: 'c3' }, update: { $set: { position: 1 } }, upsert: true } },
          ]),
        );
        expect(isDuplicateKeyError(error)).toBe(true);
        expect(ids(await contacts.find({}, { sort: { _id: 1 } }))).toEqual(['c1', 'c2']);
      });

      it('accepts an empty batch', async () => {
        expect(await contacts.bulkWrite([])).toEqual({ matched: 0, modified: 0, upserted: 0, deleted: 0 });
      });
    });

    it('deletes one or many documents and reports how many', async () => {
      await contacts.insertMany([ann, bob, cid]);
      expect(await contacts.deleteOne({ tokens: 'lee' })).toBe(1);
      expect(await contacts.deleteOne({ _id: 'missing' })).toBe(0);
      expect(await contacts.deleteMany({})).toBe(2);
      expect(await contacts.count({})).toBe(0);
    });

    describe('unique indexes', () => {
      beforeEach(async () => {
        await contacts.createIndex({ email: 1 }, { unique: true, name: 'email_unique' });
        await contacts.createIndex({ email: 1 }, { unique: true, name: 'email_unique' });
        await contacts.insertMany([ann]);
      });

      it('rejects an insert, an update or a replacement that would duplicate a key, changing nothing', async () => {
        await contacts.insertMany([bob]);
        expect(isDuplicateKeyError(await rejection(contacts.insertMany([{ _id: 'c5', email: ann.email }])))).toBe(true);
        expect(isDuplicateKeyError(await rejection(contacts.updateOne({ _id: 'c2' }, { $set: { email: ann.email, name: 'X' } })))).toBe(true);
        expect(isDuplicateKeyError(await rejection(contacts.replaceOne({ _id: 'c2' }, { _id: 'c2', email: ann.email })))).toBe(true);
        expect(isDuplicateKeyError(await rejection(contacts.updateMany({ _id: 'c2' }, { $set: { email: ann.email } })))).toBe(true);
        const bulk = contacts.bulkWrite([{ updateOne: { filter: { _id: 'c2' }, update: { $set: { email: ann.email } } } }]);
        expect(isDuplicateKeyError(await rejection(bulk))).toBe(true);
        expect(await contacts.findOne({ _id: 'c2' })).toEqual(bob);
        expect(await contacts.count({ email: ann.email })).toBe(1);
      });

      it('lets a document keep its own key and frees the key when the document goes', async () => {
        expect(await contacts.updateOne({ _id: 'c1' }, { $set: { email: ann.email, name: 'Anne' } })).toMatchObject({ modified: 1 });
        await contacts.deleteOne({ _id: 'c1' });
        await contacts.insertMany([{ _id: 'c6', email: ann.email }]);
        expect(ids(await contacts.find({ email: ann.email }))).toEqual(['c6']);
      });
    });

    it('rejects a duplicate _id, keeping the documents inserted before it', async () => {
      const error = await rejection(contacts.insertMany([ann, bob, { ...ann, name: 'Other' }, cid]));
      expect(isDuplicateKeyError(error)).toBe(true);
      expect(ids(await contacts.find({}, { sort: { _id: 1 } }))).toEqual(['c1', 'c2']);
      expect((await contacts.findOne({ _id: 'c1' }))!.name).toBe('Ann');
    });

    describe('collections', () => {
      it('lists collections created by a write or an index, not by a read', async () => {
        await store.collection('views').insertMany([{ _id: 'v1' }]);
        await store.collection('search').createIndex({ tokens: 1 });
        await store.collection('never-written').find({});
        expect(await store.listCollections()).toEqual(['search', 'views']);
      });

      it('drops a collection with its documents, and ignores a missing one', async () => {
        await contacts.insertMany([ann]);
        await store.dropCollection('contacts');
        await store.dropCollection('missing');
        expect(await store.listCollections()).toEqual([]);
        expect(await contacts.count({})).toBe(0);
      });

      it('swaps a rebuilt collection in with its indexes, replacing the live one', async () => {
        await contacts.insertMany([{ ...ann, name: 'Stale' }, bob]);
        const rebuild = store.collection<Contact>('contacts-rebuild');
        await rebuild.createIndex({ email: 1 }, { unique: true });
        await rebuild.insertMany([ann, cid]);

        await store.renameCollection('contacts-rebuild', 'contacts', { dropTarget: true });

        expect(await store.listCollections()).toEqual(['contacts']);
        expect(await contacts.find({}, { sort: { _id: 1 } })).toEqual([ann, cid]);
        expect(isDuplicateKeyError(await rejection(contacts.insertMany([{ _id: 'c5', email: ann.email }])))).toBe(true);
      });

      it('renames onto a free name, and refuses to rename a missing collection', async () => {
        await store.collection<Contact>('contacts-rebuild').insertMany([ann]);
        await store.renameCollection('contacts-rebuild', 'contacts', { dropTarget: true });
        expect(await contacts.find({})).toEqual([ann]);
        await rejection(store.renameCollection('missing', 'contacts', { dropTarget: true }));
        expect(await contacts.find({})).toEqual([ann]);
      });
    });
  });
}
