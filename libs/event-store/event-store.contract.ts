import { v4 as uuid } from 'uuid';
import { InvalidPositionError } from './event-store.errors.js';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from './event-store.port.js';

/**
 * The behaviour every EventStore adapter must show. Streams and event types are unique per
 * test, and nothing assumes the log is empty or private, so the suite can run against a
 * shared live server while other suites write to it.
 *
 * `cleanup` runs after each test, once the store is closed (e.g. to delete its file).
 * The log-identity tests that need a second connection or a second log run where the adapter
 * says how to open them.
 */
export function describeEventStoreContract(
  adapterName: string,
  makeStore: () => Promise<EventStore>,
  cleanup?: (store: EventStore) => Promise<void>,
  logs: {
    /** A second connection to the log of `store` (another process would open this way). */
    openSameLog?: (store: EventStore) => Promise<EventStore>;
    /** A store over another, new log, where the adapter can make one (a new file). */
    openOtherLog?: () => Promise<EventStore>;
  } = {},
): void {
  const { openSameLog, openOtherLog } = logs;
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;

    beforeEach(async () => {
      store = await makeStore();
    });

    afterEach(async () => {
      await store.close();
      await cleanup?.(store);
    });

    describe('appendToStream', () => {
      it('creates a stream with no_stream, numbering revisions from 0', async () => {
        const stream = uniqueStream();
        const result = await store.appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });

        const events = await store.readStream(stream);
        expect(events.map((e) => e.revision)).toEqual([0, 1]);
        expect(result).toEqual({ nextExpectedRevision: 1, position: events[1].position });
      });

      it('appends at the exact expected revision', async () => {
        const stream = uniqueStream();
        const first = await store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
        const second = await store.appendToStream(stream, [newEvent(), newEvent()], {
          expectedRevision: first.nextExpectedRevision,
        });

        expect(second.nextExpectedRevision).toBe(2);
        expect(second.position).toBeGreaterThan(first.position);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('appends with stream_exists only to an existing stream', async () => {
        const stream = uniqueStream();
        await expectWrongRevision(
          store.appendToStream(stream, [newEvent()], { expectedRevision: 'stream_exists' }),
          { streamId: stream, expected: 'stream_exists', actual: 'no_stream' },
        );
        await store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });

        const result = await store.appendToStream(stream, [newEvent()], { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1);
      });

      it('appends with any, and any is the default, whether the stream exists or not', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [newEvent()], { expectedRevision: 'any' });
        await store.appendToStream(stream, [newEvent()]);

        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1]);
      });

      it('refuses no_stream on an existing stream, reporting its revision and writing nothing', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });

        await expectWrongRevision(
          store.appendToStream(stream, [newEvent(), newEvent(), newEvent()], { expectedRevision: 'no_stream' }),
          { streamId: stream, expected: 'no_stream', actual: 1 },
        );
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('refuses a stale revision, reporting the actual one and writing nothing of the batch', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [newEvent(), newEvent(), newEvent()], { expectedRevision: 'no_stream' });
        const before = await store.readStream(stream);

        await expectWrongRevision(store.appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 0 }), {
          streamId: stream,
          expected: 0,
          actual: 2,
        });
        expect(await store.readStream(stream)).toEqual(before);
      });

      it('refuses a revision on a missing stream, reporting no_stream', async () => {
        const stream = uniqueStream();
        await expectWrongRevision(store.appendToStream(stream, [newEvent()], { expectedRevision: 0 }), {
          streamId: stream,
          expected: 0,
          actual: 'no_stream',
        });
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('records a batch contiguously: concurrent batches never interleave in the global order', async () => {
        const prefix = uniqueStream();
        const batches = ['a', 'b', 'c'].map((name) => ({
          stream: `${prefix}-${name}`,
          events: Array.from({ length: 30 }, () => newEvent()),
        }));
        const head = await store.headPosition();

        await Promise.all(batches.map((b) => store.appendToStream(b.stream, b.events, { expectedRevision: 'no_stream' })));

        const all = await store.readAll({ after: head, filter: { streamPrefixes: [prefix] } });
        expect(all).toHaveLength(90);
        const runs = all.map((e) => e.streamId).filter((s, i, list) => i === 0 || list[i - 1] !== s);
        expect(runs.sort()).toEqual(batches.map((b) => b.stream).sort());
        for (const batch of batches) {
          const inLog = all.filter((e) => e.streamId === batch.stream);
          expect(inLog.map((e) => e.id)).toEqual(batch.events.map((e) => e.id));
          expect(inLog.map((e) => e.revision)).toEqual(batch.events.map((_, i) => i));
        }
      });
    });

    describe('idempotency by event id', () => {
      it('treats a repeated batch with the same expected revision as a no-op returning the original result', async () => {
        const stream = uniqueStream();
        const batch = [newEvent(), newEvent()];
        const original = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });

        const repeated = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });

        expect(repeated).toEqual(original);
        expect((await store.readStream(stream)).map((e) => e.id)).toEqual(batch.map((e) => e.id));
      });

      it('treats a repeated batch at an exact revision as a no-op', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
        const batch = [newEvent(), newEvent()];
        const original = await store.appendToStream(stream, batch, { expectedRevision: 0 });

        const repeated = await store.appendToStream(stream, batch, { expectedRevision: 0 });

        expect(repeated).toEqual(original);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('treats a retry at the same exact revision as a no-op however far the stream has moved on since', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
        const batch = [newEvent(), newEvent()];
        const original = await store.appendToStream(stream, batch, { expectedRevision: 0 });
        await store.appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 2 });

        const retried = await store.appendToStream(stream, batch, { expectedRevision: 0 });

        expect(retried).toEqual(original);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      });

      it('refuses a batch that is only partly written already, writing nothing of it', async () => {
        const stream = uniqueStream();
        const [first, second, fresh] = [newEvent(), newEvent(), newEvent()];
        await store.appendToStream(stream, [first, second], { expectedRevision: 'no_stream' });

        await expect(
          store.appendToStream(stream, [first, fresh], { expectedRevision: 'no_stream' }),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(store.appendToStream(stream, [second, fresh], { expectedRevision: 0 })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        // Not asserted with `any`: EventStoreDB recognises the ids only while they are in its cache.
        expect((await store.readStream(stream)).map((e) => e.id)).toEqual([first.id, second.id]);
      });
    });

    describe('empty batches', () => {
      it('writes nothing, answering revision −1 and position 0 for a missing stream', async () => {
        const stream = uniqueStream();
        expect(await store.appendToStream(stream, [])).toEqual({ nextExpectedRevision: -1, position: 0 });
        expect(await store.appendToStream(stream, [], { expectedRevision: 'no_stream' })).toEqual({
          nextExpectedRevision: -1,
          position: 0,
        });
        expect(await store.readStream(stream)).toEqual([]);
      });

      it("checks the expected revision and answers the stream's last revision", async () => {
        const stream = uniqueStream();
        await expectWrongRevision(store.appendToStream(stream, [], { expectedRevision: 0 }), {
          streamId: stream,
          expected: 0,
          actual: 'no_stream',
        });
        await store.appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });

        expect(await store.appendToStream(stream, [], { expectedRevision: 1 })).toEqual({ nextExpectedRevision: 1, position: 0 });
        await expectWrongRevision(store.appendToStream(stream, [], { expectedRevision: 'no_stream' }), {
          streamId: stream,
          expected: 'no_stream',
          actual: 1,
        });
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('readStream', () => {
      let stream: string;
      let appended: NewEvent[];

      beforeEach(async () => {
        stream = uniqueStream();
        appended = Array.from({ length: 5 }, (_, i) => newEvent({ data: { n: i } }));
        await store.appendToStream(stream, appended, { expectedRevision: 'no_stream' });
      });

      it('reads forwards by default, with every recorded field', async () => {
        const events = await store.readStream(stream);

        expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
        expect(events[2]).toEqual({
          id: appended[2].id,
          type: appended[2].type,
          streamId: stream,
          revision: 2,
          position: expect.any(Number),
          data: { n: 2 },
          metadata: appended[2].metadata,
          recordedAt: expect.any(String),
        });
        expectStrictlyIncreasing(events.map((e) => e.position));
      });

      it('reads backwards from the end', async () => {
        const events = await store.readStream(stream, { direction: 'backwards' });
        expect(events.map((e) => e.revision)).toEqual([4, 3, 2, 1, 0]);
      });

      it('starts at fromRevision, inclusive, in either direction', async () => {
        expect((await store.readStream(stream, { fromRevision: 3 })).map((e) => e.revision)).toEqual([3, 4]);
        expect(
          (await store.readStream(stream, { fromRevision: 1, direction: 'backwards' })).map((e) => e.revision),
        ).toEqual([1, 0]);
      });

      it('returns at most maxCount events', async () => {
        expect((await store.readStream(stream, { maxCount: 2 })).map((e) => e.revision)).toEqual([0, 1]);
        expect(
          (await store.readStream(stream, { direction: 'backwards', maxCount: 2 })).map((e) => e.revision),
        ).toEqual([4, 3]);
        expect(
          (await store.readStream(stream, { fromRevision: 2, maxCount: 2 })).map((e) => e.revision),
        ).toEqual([2, 3]);
      });

      it('returns an empty array for a stream that does not exist', async () => {
        expect(await store.readStream(uniqueStream())).toEqual([]);
        expect(await store.readStream(uniqueStream(), { direction: 'backwards' })).toEqual([]);
      });
    });

    describe('recorded data', () => {
      it('round-trips data and metadata as JSON: unicode, nesting, arrays, null, numbers', async () => {
        const stream = uniqueStream();
        const data = {
          name: 'Zoë Ångström — 日本語 🌍',
          nested: { deeper: { list: [1, 'two', { three: 3 }], empty: {}, none: null } },
          flag: false,
          ratio: 0.125,
          big: 9007199254740991,
          quote: 'a "quoted" \\ back\\slash\nnew line',
        };
        const metadata = { workspace: 'ws-1', actor: { id: 'agent-7', role: 'agent' }, tags: ['ü', 'ß'] };
        await store.appendToStream(stream, [newEvent({ data, metadata })]);

        const [event] = await store.readStream(stream);
        expect(event.data).toEqual(data);
        expect(event.metadata).toEqual(metadata);
      });

      it('stamps recordedAt as an ISO-8601 string of the time of the append', async () => {
        const stream = uniqueStream();
        const before = Date.now();
        await store.appendToStream(stream, [newEvent()]);

        const [event] = await store.readStream(stream);
        expect(event.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
        const recordedAt = Date.parse(event.recordedAt);
        expect(Math.abs(recordedAt - before)).toBeLessThan(60_000);
      });
    });

    describe('readAll and headPosition', () => {
      it('reads the log after a position, exclusive, in strictly increasing positions', async () => {
        const prefix = uniqueStream();
        const head = await store.headPosition();
        await store.appendToStream(`${prefix}-a`, [newEvent(), newEvent()]);
        await store.appendToStream(`${prefix}-b`, [newEvent()]);
        await store.appendToStream(`${prefix}-a`, [newEvent()]);

        const all = await store.readAll({ after: head, filter: { streamPrefixes: [prefix] } });
        expect(all.map((e) => [e.streamId, e.revision])).toEqual([
          [`${prefix}-a`, 0],
          [`${prefix}-a`, 1],
          [`${prefix}-b`, 0],
          [`${prefix}-a`, 2],
        ]);
        expectStrictlyIncreasing(all.map((e) => e.position));
        expect(all[0].position).toBeGreaterThan(head);

        const afterSecond = await store.readAll({ after: all[1].position, filter: { streamPrefixes: [prefix] } });
        expect(afterSecond.map((e) => e.id)).toEqual(all.slice(2).map((e) => e.id));
      });

      it('returns at most maxCount events, unfiltered or filtered', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [newEvent(), newEvent(), newEvent(), newEvent()]);
        const mine = await store.readStream(stream);

        const unfiltered = await store.readAll({ after: mine[0].position, maxCount: 2 });
        expect(unfiltered).toHaveLength(2);
        expectStrictlyIncreasing([mine[0].position, ...unfiltered.map((e) => e.position)]);
        expect(unfiltered[1].position).toBeLessThanOrEqual(mine[2].position);

        const filtered = await store.readAll({ after: mine[0].position, maxCount: 2, filter: { streamPrefixes: [stream] } });
        expect(filtered.map((e) => e.id)).toEqual([mine[1].id, mine[2].id]);
      });

      it('filters by stream prefixes and by event types, both at once meaning both must match', async () => {
        const prefix = uniqueStream();
        const [typeA, typeB] = [`A${uuid()}`, `B${uuid()}`];
        const head = await store.headPosition();
        await store.appendToStream(`${prefix}-x`, [newEvent({ type: typeA }), newEvent({ type: typeB })]);
        await store.appendToStream(`${prefix}-y`, [newEvent({ type: typeA })]);
        await store.appendToStream(`other-${prefix}`, [newEvent({ type: typeA })]);

        const byPrefixes = await store.readAll({
          after: head,
          filter: { streamPrefixes: [`${prefix}-x`, `${prefix}-y`] },
        });
        expect(byPrefixes.map((e) => `${e.streamId}/${e.type}`)).toEqual([
          `${prefix}-x/${typeA}`,
          `${prefix}-x/${typeB}`,
          `${prefix}-y/${typeA}`,
        ]);

        const byType = await store.readAll({ after: head, filter: { eventTypes: [typeA] } });
        expect(byType.map((e) => e.streamId)).toEqual([`${prefix}-x`, `${prefix}-y`, `other-${prefix}`]);

        const byTypes = await store.readAll({ after: head, filter: { eventTypes: [typeA, typeB] } });
        expect(byTypes).toHaveLength(4);

        const both = await store.readAll({ after: head, filter: { streamPrefixes: [prefix], eventTypes: [typeB] } });
        expect(both.map((e) => `${e.streamId}/${e.type}`)).toEqual([`${prefix}-x/${typeB}`]);
      });

      it('refuses an `after` that is not a non-negative safe integer, in readAll and subscribeToAll', async () => {
        for (const after of [-1, 0.5, 2 ** 53, Number.NaN]) {
          await expect(store.readAll({ after })).rejects.toMatchObject({ name: 'InvalidPositionError', reason: 'not-a-safe-integer' });
          expect(() => store.subscribeToAll({ after })).toThrow(InvalidPositionError);
        }
      });

      it('reports the head position: the position of the last event, nothing after it', async () => {
        const stream = uniqueStream();
        const result = await store.appendToStream(stream, [newEvent(), newEvent()]);

        const head = await store.headPosition();
        expect(head).toBeGreaterThanOrEqual(result.position);
        expect(await store.readAll({ after: head, filter: { streamPrefixes: [stream] } })).toEqual([]);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up from a position, then receives new appends in order', async () => {
        const stream = uniqueStream();
        const existing = [newEvent(), newEvent(), newEvent()];
        await store.appendToStream(stream, existing);
        const [first] = await store.readStream(stream);
        const subscription = store.subscribeToAll({ after: first.position, filter: { streamPrefixes: [stream] } });
        const reader = subscription[Symbol.asyncIterator]();

        const caughtUp = await take(reader, 2);
        const live = [newEvent(), newEvent()];
        await store.appendToStream(stream, [live[0]]);
        await store.appendToStream(stream, [live[1]]);
        const followed = await take(reader, 2);
        await subscription.unsubscribe();

        expect([...caughtUp, ...followed].map((e) => e.id)).toEqual([existing[1].id, existing[2].id, live[0].id, live[1].id]);
        expectStrictlyIncreasing([first.position, ...[...caughtUp, ...followed].map((e) => e.position)]);
      });

      it('delivers every event of the log after the position when unfiltered', async () => {
        const stream = uniqueStream();
        const head = await store.headPosition();
        const subscription = store.subscribeToAll({ after: head });
        const appended = [newEvent(), newEvent(), newEvent()];
        await store.appendToStream(stream, appended.slice(0, 2));
        await store.appendToStream(stream, appended.slice(2));

        const received: RecordedEvent[] = [];
        const reader = subscription[Symbol.asyncIterator]();
        while (!received.some((e) => e.id === appended[2].id)) received.push(...(await take(reader, 1)));
        await subscription.unsubscribe();

        expectStrictlyIncreasing([head, ...received.map((e) => e.position)]);
        expect(received.filter((e) => e.streamId === stream).map((e) => e.id)).toEqual(appended.map((e) => e.id));
      });

      it('filters by event type', async () => {
        const stream = uniqueStream();
        const [wanted, unwanted] = [`W${uuid()}`, `U${uuid()}`];
        const head = await store.headPosition();
        const subscription = store.subscribeToAll({ after: head, filter: { eventTypes: [wanted] } });
        const events = [newEvent({ type: unwanted }), newEvent({ type: wanted }), newEvent({ type: unwanted }), newEvent({ type: wanted })];
        await store.appendToStream(stream, events);

        const received = await take(subscription[Symbol.asyncIterator](), 2);
        await subscription.unsubscribe();

        expect(received.map((e) => e.id)).toEqual([events[1].id, events[3].id]);
      });

      it('tells a filtered consumer how far it has scanned, past the events its filter drops, once the events before are pulled', async () => {
        const stream = uniqueStream();
        const [wanted, unwanted] = [`W${uuid()}`, `U${uuid()}`];
        const head = await store.headPosition();
        const received: RecordedEvent[] = [];
        const reports: Array<{ position: number; receivedBefore: string[] }> = [];
        const subscription = store.subscribeToAll({
          after: head,
          filter: { eventTypes: [wanted] },
          onScanned: (position) => reports.push({ position, receivedBefore: received.map((e) => e.id) }),
        });
        const events = [newEvent({ type: wanted }), newEvent({ type: unwanted }), newEvent({ type: unwanted })];
        await store.appendToStream(stream, events);
        const [firstWanted, , lastDropped] = await store.readStream(stream);
        const reader = subscription[Symbol.asyncIterator]();
        received.push(...(await take(reader, 1)));
        const following = reader.next();
        for (let waited = 0; !reports.some((r) => r.position >= lastDropped.position) && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
        const later = newEvent({ type: wanted });
        await store.appendToStream(stream, [later]);
        const next = await following;
        await subscription.unsubscribe();

        expect(received.map((e) => e.id)).toEqual([events[0].id]);
        expect(next.done ? null : next.value.id).toBe(later.id);
        expect(reports.map((r) => r.position)).toContain(lastDropped.position);
        expectStrictlyIncreasing([head, ...reports.map((r) => r.position)]);
        // Reported only once every event of the filter up to it had been pulled.
        for (const report of reports) if (report.position >= firstWanted.position) expect(report.receivedBefore).toContain(events[0].id);
      });

      it('has no gap and no duplicate when appends race with a long catch-up', async () => {
        const stream = uniqueStream();
        for (let i = 0; i < 5; i++) {
          await store.appendToStream(stream, Array.from({ length: 50 }, () => newEvent()));
        }
        const subscription = store.subscribeToAll({ filter: { streamPrefixes: [stream] } });
        const reader = subscription[Symbol.asyncIterator]();

        const appending = (async () => {
          for (let i = 0; i < 10; i++) await store.appendToStream(stream, [newEvent(), newEvent(), newEvent()]);
        })();
        const received = await take(reader, 280);
        await appending;
        await subscription.unsubscribe();

        expect(received.map((e) => e.revision)).toEqual(Array.from({ length: 280 }, (_, i) => i));
        expectStrictlyIncreasing(received.map((e) => e.position));
      });

      it('stops on unsubscribe: the iteration ends and later appends are not delivered', async () => {
        const stream = uniqueStream();
        const head = await store.headPosition();
        const subscription = store.subscribeToAll({ after: head, filter: { streamPrefixes: [stream] } });
        const received: RecordedEvent[] = [];
        const consuming = (async () => {
          for await (const event of subscription) {
            received.push(event);
            if (received.length === 1) await subscription.unsubscribe();
          }
        })();

        await store.appendToStream(stream, [newEvent()]);
        await withTimeout(consuming, 'the iteration did not end after unsubscribe');
        await store.appendToStream(stream, [newEvent()]);

        expect(received).toHaveLength(1);
        expect(await subscription[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
      });
    });

    describe('logId', () => {
      it('answers one id, the same at every call, whatever was appended in between', async () => {
        const first = await store.logId();
        await store.appendToStream(uniqueStream(), [newEvent()]);
        const [second, third] = await Promise.all([store.logId(), store.logId()]);

        expect(first).toMatch(/^[0-9a-f-]{36}$/);
        expect([second, third]).toEqual([first, first]);
      });

      it('answers the same id to another store over the same log', async () => {
        const other = await openSameLog?.(store);
        if (!other) return;
        try {
          const [mine, theirs] = await Promise.all([store.logId(), other.logId()]);
          expect(theirs).toBe(mine);
        } finally {
          await other.close();
        }
      });

      it('answers another id for another log', async () => {
        const other = await openOtherLog?.();
        if (!other) return;
        try {
          expect(await other.logId()).not.toBe(await store.logId());
        } finally {
          await other.close();
          await cleanup?.(other);
        }
      });
    });

    describe('optimistic concurrency under contention', () => {
      it('lets exactly one writer win each revision: no holes, no duplicates', async () => {
        const stream = uniqueStream();
        const writers = 20;
        const appendsPerWriter = 2;
        const wins: Array<{ writer: number; eventId: string; revision: number }> = [];
        let conflicts = 0;

        const writer = async (writerId: number): Promise<void> => {
          for (let done = 0; done < appendsPerWriter; ) {
            const current = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
            const event = newEvent({ data: { writer: writerId } });
            try {
              const result = await store.appendToStream(stream, [event], {
                expectedRevision: current.length ? current[0].revision : 'no_stream',
              });
              wins.push({ writer: writerId, eventId: event.id, revision: result.nextExpectedRevision });
              done++;
            } catch (error) {
              if (!(error instanceof WrongExpectedRevisionError)) throw error;
              conflicts++;
            }
          }
        };
        await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));

        const total = writers * appendsPerWriter;
        const events = await store.readStream(stream);
        expect(events.map((e) => e.revision)).toEqual(Array.from({ length: total }, (_, i) => i));
        expect(wins.map((w) => w.revision).sort((a, b) => a - b)).toEqual(events.map((e) => e.revision));
        for (const event of events) {
          const winner = wins.find((w) => w.revision === event.revision);
          expect(winner).toBeDefined();
          expect(event.id).toBe(winner?.eventId);
          expect(event.data).toEqual({ writer: winner?.writer });
        }
        expect(conflicts).toBeGreaterThan(0);
      });
    });
  });
}

function uniqueStream(): string {
  return `contract-${uuid()}`;
}

function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return { id: uuid(), type: 'ContractTested', data: { value: uuid() }, metadata: { source: 'test' }, ...overrides };
}

async function expectWrongRevision(
  append: Promise<unknown>,
  expected: Pick<WrongExpectedRevisionError, 'streamId' | 'expected' | 'actual'>,
): Promise<void> {
  const error = await append.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  expect(error).toMatchObject(expected);
}

function expectStrictlyIncreasing(values: number[]): void {
  values.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(values[i]));
}

/** The next `count` events of a subscription, failing instead of hanging when they do not come. */
async function take(reader: AsyncIterator<RecordedEvent>, count: number): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  while (events.length < count) {
    const next = await withTimeout(reader.next(), `received ${events.length} of ${count} events`);
    if (next.done) throw new Error(`subscription ended after ${events.length} of ${count} events`);
    events.push(next.value);
  }
  return events;
}

async function withTimeout<T>(promise: Promise<T>, message: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${message}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
