import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDocumentStoreContract } from '../document-store.contract.js';
import { SqliteDocumentStore } from './sqlite-document-store.js';

describeDocumentStoreContract('SqliteDocumentStore', async () => SqliteDocumentStore.open(':memory:'));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-document-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('keeps documents and indexes in its file across a reopen', async () => {
  const file = join(dir, 'read-models.sqlite');
  const first = SqliteDocumentStore.open(file);
  const contacts = first.collection<{ _id: string; email: string; tokens: string[] }>('contacts');
  await contacts.createIndex({ email: 1 }, { unique: true });
  await contacts.createIndex({ tokens: 1 });
  await contacts.insertMany([{ _id: 'c1', email: 'ann@example.com', tokens: ['ann', 'lee'] }]);
  await first.close();

  const reopened = SqliteDocumentStore.open(file);
  const again = reopened.collection<{ _id: string; email: string; tokens: string[] }>('contacts');
  expect(await reopened.listCollections()).toEqual(['contacts']);
  expect(await again.find({ tokens: { $regex: '^le' } })).toEqual([{ _id: 'c1', email: 'ann@example.com', tokens: ['ann', 'lee'] }]);
  await expect(again.insertMany([{ _id: 'c2', email: 'ann@example.com', tokens: [] }])).rejects.toMatchObject({ code: 11000 });
  await reopened.close();
});

it('sees a collection another connection swapped in', async () => {
  const file = join(dir, 'read-models.sqlite');
  const live = SqliteDocumentStore.open(file);
  const rebuilder = SqliteDocumentStore.open(file);
  await live.collection('views').insertMany([{ _id: 'old' }]);
  await rebuilder.collection('views-rebuild').insertMany([{ _id: 'new' }]);
  await rebuilder.renameCollection('views-rebuild', 'views', { dropTarget: true });
  expect(await live.collection('views').find({})).toEqual([{ _id: 'new' }]);
  await rebuilder.close();
  await live.close();
});

it('reads what another connection dropped, recreated or put under a new id as it is now, never as it was', async () => {
  const file = join(dir, 'read-models.sqlite');
  const reader = SqliteDocumentStore.open(file);
  const writer = SqliteDocumentStore.open(file);
  await writer.collection('views').insertMany([{ _id: 'v1' }]);
  await writer.collection('search').insertMany([{ _id: 's1' }]);
  expect(await reader.collection('search').find({})).toEqual([{ _id: 's1' }]);
  await writer.dropCollection('search');
  await writer.collection('history').insertMany([{ _id: 'h1' }]);
  expect(await reader.collection('search').find({})).toEqual([]);
  expect(await reader.collection('search').count({})).toBe(0);
  expect(await reader.collection('history').find({})).toEqual([{ _id: 'h1' }]);
  await writer.dropCollection('history');
  await writer.collection('search').insertMany([{ _id: 's2' }]);
  expect(await reader.collection('history').find({})).toEqual([]);
  expect(await reader.collection('search').find({})).toEqual([{ _id: 's2' }]);
  await writer.close();
  await reader.close();
});

describe('the writes of one wave of microtasks (one transaction, committed when the wave ends)', () => {
  type Doc = { _id: string; email?: string; n?: number };

  it('are read at once by this connection, by another only once committed, and settle after the commit', async () => {
    const file = join(dir, 'read-models.sqlite');
    const writer = SqliteDocumentStore.open(file);
    const other = SqliteDocumentStore.open(file);
    const views = writer.collection<Doc>('views');
    await views.insertMany([{ _id: 'v0', n: 0 }]);

    const writes = [views.insertMany([{ _id: 'v1', n: 1 }]), views.updateOne({ _id: 'v0' }, { $set: { n: 10 } }), views.deleteOne({ _id: 'v1' })];
    expect(await views.find({})).toEqual([{ _id: 'v0', n: 10 }]);
    expect(await other.collection<Doc>('views').find({})).toEqual([{ _id: 'v0', n: 0 }]);

    expect(await Promise.all(writes)).toEqual([undefined, { matched: 1, modified: 1, upserted: false }, 1]);
    expect(await other.collection<Doc>('views').find({})).toEqual([{ _id: 'v0', n: 10 }]);
    await other.close();
    await writer.close();
  });

  it('commit before the next turn of the event loop: writes awaited one after another each commit on their own', async () => {
    const file = join(dir, 'read-models.sqlite');
    const writer = SqliteDocumentStore.open(file);
    const other = SqliteDocumentStore.open(file);
    const views = writer.collection<Doc>('views');
    const seenByOther: number[] = [];
    const written = (async () => {
      for (let n = 1; n <= 3; n++) {
        await views.replaceOne({ _id: 'v' }, { _id: 'v', n }, { upsert: true });
        seenByOther.push((await other.collection<Doc>('views').findOne({ _id: 'v' }))?.n ?? 0);
      }
    })();
    let turnEnded = false;
    setImmediate(() => (turnEnded = true));
    await written;
    expect(turnEnded).toBe(false);
    expect(seenByOther).toEqual([1, 2, 3]);
    await other.close();
    await writer.close();
  });

  it('fail alone when they fail, keeping what they wrote before failing, and the others commit', async () => {
    const file = join(dir, 'read-models.sqlite');
    const store = SqliteDocumentStore.open(file);
    const people = store.collection<Doc>('people');
    await people.createIndex({ email: 1 }, { unique: true });
    await people.insertMany([{ _id: 'p0', email: 'taken@example.com' }]);

    const first = people.insertMany([{ _id: 'p1', email: 'ann@example.com' }]);
    const failing = people.insertMany([{ _id: 'p2', email: 'bob@example.com' }, { _id: 'p3', email: 'taken@example.com' }]);
    const last = people.insertMany([{ _id: 'p4', email: 'cy@example.com' }]);
    await expect(failing).rejects.toMatchObject({ code: 11000 });
    await Promise.all([first, last]);
    await store.close();

    const reopened = SqliteDocumentStore.open(file);
    expect((await reopened.collection<Doc>('people').find({})).map((person) => person._id).sort()).toEqual(['p0', 'p1', 'p2', 'p4']);
    await reopened.close();
  });

  it('all fail, and are all rolled back, when the file is full; the store writes again once there is room', async () => {
    const file = join(dir, 'read-models.sqlite');
    const store = SqliteDocumentStore.open(file);
    const views = store.collection<Doc & { filler?: string }>('views');
    await views.insertMany([{ _id: 'v0' }]);
    // SQLite answers SQLITE_FULL when the file would grow past max_page_count, as on a full disk.
    const db = (store as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);

    const small = views.insertMany([{ _id: 'v1' }]);
    const big = views.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `big${i}`, filler: 'x'.repeat(16 * 1024) })));
    for (const write of [small, big]) await expect(write).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    expect(await views.find({})).toEqual([{ _id: 'v0' }]);

    db.pragma('max_page_count = 1073741823');
    await views.insertMany([{ _id: 'v2' }]);
    expect(await views.find({})).toEqual([{ _id: 'v0' }, { _id: 'v2' }]);
    await store.close();
  });
});

it.each([
  ['a range of tokens, sorted by joining the sort index', [{ workspace: 1, tokens: 1 }]],
  ['a range of tokens whose index carries the sort keys', [{ workspace: 1, tokens: 1, sortKey: 1, _id: 1 }]],
] as const)('answers a sorted, limited query over a large index range the same whichever way it plans it: %s', async (_, rangeIndexes) => {
  const store = SqliteDocumentStore.open(':memory:');
  const people = store.collection<{ _id: string; workspace: string; tokens: string[]; sortKey: string }>('people');
  for (const index of rangeIndexes) await people.createIndex(index);
  await people.createIndex({ workspace: 1, sortKey: 1, _id: 1 });
  const documents = Array.from({ length: 3000 }, (_, i) => ({
    _id: `p${String(i).padStart(4, '0')}`,
    workspace: i % 10 === 0 ? 'other' : 'acme',
    tokens: [i % 3 === 0 ? 'maria' : 'olga', `n${i % 7}`],
    sortKey: `${(i * 7919) % 3001}`.padStart(4, '0'),
  }));
  await people.insertMany(documents);
  const expected = (test: (document: (typeof documents)[number]) => boolean) =>
    documents
      .filter((document) => document.workspace === 'acme' && test(document))
      .sort((a, b) => (a.sortKey === b.sortKey ? (a._id < b._id ? -1 : 1) : a.sortKey < b.sortKey ? -1 : 1))
      .map((document) => document._id);
  const ids = (found: Array<{ _id: string }>) => found.map((document) => document._id);
  const sort = { sortKey: 1, _id: 1 } as const;

  const mid = { $and: [{ workspace: 'acme' }, { tokens: { $regex: '^mar' } }, { tokens: 'n3' }] };
  expect(ids(await people.find(mid, { sort, limit: 21 }))).toEqual(expected((d) => d.tokens[0] === 'maria' && d.tokens[1] === 'n3').slice(0, 21));
  const wide = { $and: [{ workspace: 'acme' }, { tokens: { $regex: '^olg' } }] };
  expect(ids(await people.find(wide, { sort, skip: 5, limit: 30 }))).toEqual(expected((d) => d.tokens[0] === 'olga').slice(5, 35));
  const descending = await people.find(wide, { sort: { sortKey: -1, _id: -1 }, limit: 3 });
  expect(ids(descending)).toEqual(expected((d) => d.tokens[0] === 'olga').reverse().slice(0, 3));
  const afterCursor = { $and: [...wide.$and, { $or: [{ sortKey: { $gt: '1500' } }, { sortKey: '1500', _id: { $gt: 'p0000' } }] }] };
  expect(ids(await people.find(afterCursor, { sort, limit: 10 }))).toEqual(expected((d) => d.tokens[0] === 'olga' && d.sortKey > '1500').slice(0, 10));
  await store.close();
});
