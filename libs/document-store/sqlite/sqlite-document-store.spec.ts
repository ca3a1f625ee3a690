import { afterEach, beforeEach, expect, it } from '@jest/globals';
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
