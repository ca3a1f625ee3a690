import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v4 as uuid } from 'uuid';
import { describeEventStoreContract } from '../event-store.contract.js';
import type Database from 'better-sqlite3';
import { EventStoreUnavailableError, WrongExpectedRevisionError, type NewEvent, type RecordedEvent } from '../event-store.port.js';
import { jest } from '@jest/globals';
import { COMMIT_WATCH_INTERVAL_MS } from './commit-watch.js';
import { POLL_INTERVAL_MS } from './sqlite-all-subscription.js';
import { SqliteEventStore } from './sqlite-event-store.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-event-store-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const newFile = (): string => join(dir, uuid(), 'events.sqlite');

const files = new WeakMap<object, string>();
const openFile = (file: string): SqliteEventStore => {
  const store = SqliteEventStore.open(file);
  files.set(store, file);
  return store;
};

describeEventStoreContract('SQLite', async () => openFile(newFile()), undefined, {
  openSameLog: async (store) => openFile(files.get(store)!),
  openOtherLog: async () => openFile(newFile()),
});

describe('SqliteEventStore', () => {
  const newEvent = (type = 'Tested'): NewEvent => ({ id: uuid(), type, data: { n: uuid() }, metadata: {} });

  it('starts with an empty log at head position 0, creating the parent folders', async () => {
    const store = SqliteEventStore.open(newFile());
    expect(await store.headPosition()).toBe(0);
    expect(await store.readAll()).toEqual([]);
    await store.close();
  });

  it('keeps the log across closing and reopening the file', async () => {
    const file = newFile();
    const first = SqliteEventStore.open(file);
    await first.appendToStream('contact-1', [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
    const written = await first.readAll();
    await first.close();

    const reopened = SqliteEventStore.open(file);
    expect(await reopened.readAll()).toEqual(written);
    const next = await reopened.appendToStream('contact-1', [newEvent()], { expectedRevision: 1 });
    expect(next).toEqual({ nextExpectedRevision: 2, position: written[1].position + 1 });
    await reopened.close();
  });

  it('keeps its log id in the file: reopened, the same; a new file, another', async () => {
    const file = newFile();
    const first = SqliteEventStore.open(file);
    const id = await first.logId();
    await first.close();

    const reopened = SqliteEventStore.open(file);
    const other = SqliteEventStore.open(newFile());
    expect(await reopened.logId()).toBe(id);
    expect(await other.logId()).not.toBe(id);
    await Promise.all([reopened.close(), other.close()]);
  });

  it('writes nothing of a batch that fails halfway (an event id already used by another stream)', async () => {
    const store = SqliteEventStore.open(newFile());
    const taken = newEvent();
    await store.appendToStream('contact-a', [taken]);

    await expect(store.appendToStream('contact-b', [newEvent(), taken, newEvent()])).rejects.toThrow();

    expect(await store.readStream('contact-b')).toEqual([]);
    expect(await store.headPosition()).toBe(1);
    await store.close();
  });

  it('refuses appends on a full disk with EventStoreUnavailableError, writing nothing, and appends again once there is room', async () => {
    const store = SqliteEventStore.open(newFile());
    await store.appendToStream('contact-1', [newEvent()], { expectedRevision: 'no_stream' });
    const before = await store.readAll();
    // SQLite answers SQLITE_FULL when the file would grow past max_page_count, as on a full disk.
    const db = (store as unknown as { db: Database.Database }).db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const big = (): NewEvent => ({ ...newEvent(), data: { filler: 'x'.repeat(64 * 1024) } });
    const appends = [store.appendToStream('contact-1', [big()], { expectedRevision: 0 }), store.appendToStream('contact-2', [big(), big()])];
    for (const append of appends) {
      await expect(append).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(append).rejects.toMatchObject({ message: expect.stringContaining('full'), cause: expect.objectContaining({ code: 'SQLITE_FULL' }) });
    }
    expect(await store.readAll()).toEqual(before);

    db.pragma('max_page_count = 1073741823');
    await store.appendToStream('contact-1', [big()], { expectedRevision: 0 });
    expect((await store.readAll()).map((event) => event.streamId)).toEqual(['contact-1', 'contact-1']);
    await store.close();
  });

  it('commits the appends of one turn together, each checked against its own expected revision', async () => {
    const store = SqliteEventStore.open(newFile());
    await store.appendToStream('contact-1', [newEvent()], { expectedRevision: 'no_stream' });
    const outcomes = await Promise.allSettled([
      store.appendToStream('contact-1', [newEvent()], { expectedRevision: 0 }),
      store.appendToStream('contact-1', [newEvent()], { expectedRevision: 0 }),
      store.appendToStream('contact-2', [newEvent(), newEvent()], { expectedRevision: 'no_stream' }),
      store.appendToStream('contact-3', [newEvent()], { expectedRevision: 5 }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: { nextExpectedRevision: 1, position: 2 } });
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: { nextExpectedRevision: 1, position: 4 } });
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect((await store.readAll()).map((event) => [event.streamId, event.revision])).toEqual([
      ['contact-1', 0],
      ['contact-1', 1],
      ['contact-2', 0],
      ['contact-2', 1],
    ]);
    await store.close();
  });

  it('lets a second store on the same file (another process) follow appends through its subscription', async () => {
    const file = newFile();
    const writer = SqliteEventStore.open(file);
    const reader = SqliteEventStore.open(file);
    await writer.appendToStream('contact-1', [newEvent()]);
    const subscription = reader.subscribeToAll();
    const events = subscription[Symbol.asyncIterator]();

    const caughtUp = await events.next();
    const startedWaiting = Date.now();
    const pending = events.next();
    await writer.appendToStream('contact-1', [newEvent(), newEvent()]);
    const followed = [await pending, await events.next()];
    const waited = Date.now() - startedWaiting;
    await subscription.unsubscribe();

    const received = [caughtUp, ...followed].map((r) => (r.value as RecordedEvent).revision);
    expect(received).toEqual([0, 1, 2]);
    expect(waited).toBeLessThan(2_000);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('wakes a caught-up subscription at once on an append of the same store, without waiting for the poll', async () => {
    const store = SqliteEventStore.open(newFile());
    const subscription = store.subscribeToAll();
    const pending = subscription[Symbol.asyncIterator]().next();
    await new Promise((resolve) => setTimeout(resolve, 20));

    const appendedAt = Date.now();
    await store.appendToStream('contact-1', [newEvent()]);
    await pending;
    const latency = Date.now() - appendedAt;

    expect(latency).toBeLessThan(POLL_INTERVAL_MS / 2);
    await store.close();
  });

  it("wakes a caught-up subscription within milliseconds of another connection's append (a thread or process), not at the next poll", async () => {
    const file = newFile();
    const writer = SqliteEventStore.open(file);
    const reader = SqliteEventStore.open(file);
    // Only the timers are fake: the append's group commit still runs in its own turn.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const subscription = reader.subscribeToAll();
      const pending = subscription[Symbol.asyncIterator]().next();
      await jest.advanceTimersByTimeAsync(COMMIT_WATCH_INTERVAL_MS);
      await writer.appendToStream('contact-1', [newEvent()]);
      const waiting = Symbol('waiting');
      expect(await Promise.race([pending, Promise.resolve(waiting)])).toBe(waiting);

      // No poll is due for another POLL_INTERVAL_MS: only the commit watch can wake it now.
      await jest.advanceTimersByTimeAsync(COMMIT_WATCH_INTERVAL_MS);
      expect(((await Promise.race([pending, Promise.resolve(waiting)])) as IteratorResult<RecordedEvent>).value?.revision).toBe(0);
      expect(COMMIT_WATCH_INTERVAL_MS * 2).toBeLessThan(POLL_INTERVAL_MS);
      await subscription.unsubscribe();
    } finally {
      jest.useRealTimers();
      await Promise.all([writer.close(), reader.close()]);
    }
  });

  it('ends its subscriptions when closed', async () => {
    const store = SqliteEventStore.open(newFile());
    const subscription = store.subscribeToAll();
    const waiting = subscription[Symbol.asyncIterator]().next();

    await store.close();

    expect(await waiting).toEqual({ done: true, value: undefined });
  });
});
