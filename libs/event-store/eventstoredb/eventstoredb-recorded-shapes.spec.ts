import { createServer } from 'node:net';
import { EventStoreDBClient } from '@eventstore/db-client';
import { isEventOf } from '../../eventsourcing/event-schemas.js';
import { AggregateStore } from '../../eventsourcing/aggregate-store.js';
import { InvalidPositionError, UndecodableEventError } from '../event-store.errors.js';
import { LOG_IDENTITY_STREAM, type RecordedEvent } from '../event-store.port.js';
import { EventStoreDbAllSubscription, SubscriptionEndedError } from './eventstoredb-all-subscription.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';
import { UnusablePositionError } from './eventstoredb-mapping.js';
import { PoisonEventLog } from './poison-event-log.js';
import { RecordedShapesServer, selfCommitted, UNKNOWN_POSITION, type ReadCall } from './testing/recorded-shapes-server.js';

/**
 * The adapter and the real @eventstore/db-client against a gRPC server that answers with the
 * shapes EventStoreDB sends (testing/recorded-shapes-server.ts). What only a live server can
 * show is in the contract suite (eventstoredb-event-store.spec.ts).
 */

const GRPC_INVALID_ARGUMENT = 3;
const GRPC_UNAVAILABLE = 14;

let server: RecordedShapesServer;
let store: EventStoreDbEventStore;
let warnings: string[];

beforeEach(async () => {
  server = await RecordedShapesServer.start();
  warnings = [];
  store = EventStoreDbEventStore.connect(server.connectionString, { logger: { warn: (m) => warnings.push(m) } });
});

afterEach(async () => {
  await store.close();
  await server.stop();
});

const event = (position: bigint, revision: number, overrides: Partial<Parameters<typeof selfCommitted>[1]> = {}) =>
  selfCommitted(position, { streamId: 'contact-1', revision, id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`, data: { n: revision }, ...overrides });

/** Answers reads of $all like a server at `head`: backwards from the end gives the last event. */
function answerHead(call: ReadCall, head: bigint): boolean {
  if (!('all' in call.request.target) || !call.request.backwards) return false;
  call.events([event(head, 0, { streamId: 'other-1' })]);
  call.end();
  return true;
}

describe('positions (item 1): the server sends ulong.MaxValue for positions it does not know', () => {
  it('refuses a stream read whose positions are unknown (every stream read on 20.10–21.10), never passing 2^64 − 1 on', async () => {
    server.onRead = (call) => {
      call.events([
        { ...event(0n, 0), commit: UNKNOWN_POSITION, prepare: UNKNOWN_POSITION },
        { ...event(0n, 1), commit: UNKNOWN_POSITION, prepare: UNKNOWN_POSITION },
      ], 'none');
      call.end();
    };

    const read = store.readStream('contact-1');

    await expect(read).rejects.toBeInstanceOf(UnusablePositionError);
    await expect(read).rejects.toThrow(/commit 18446744073709551615.*EventStoreDB older than 22\.6/);
  });

  it('refuses a position the client filled with 0 because the server left it unset', async () => {
    server.onRead = (call) => {
      call.events([{ ...event(0n, 0), commit: 0n, prepare: 0n }], 'none');
      call.end();
    };
    await expect(store.readStream('contact-1')).rejects.toThrow(/commit 0, prepare 0/);
  });

  it('refuses a position beyond 2^53 − 1 instead of rounding it', async () => {
    const beyond = 2n ** 53n + 1n;
    server.onRead = (call) => {
      call.events([event(beyond, 0)]);
      call.end();
    };
    await expect(store.readStream('contact-1')).rejects.toThrow(/beyond 2\^53 - 1/);
  });

  it('takes the commit position of self-committed events (commit = prepare), as 22.6+ sends them', async () => {
    server.onRead = (call) => {
      call.events([event(1200n, 0), event(1350n, 1)], 'none');
      call.end();
    };
    const events = await store.readStream('contact-1');
    expect(events.map((e) => [e.revision, e.position])).toEqual([
      [0, 1200],
      [1, 1350],
    ]);
  });

  it('refuses `after` positions that are not non-negative safe integers, before asking the server', async () => {
    for (const after of [-1, 1.5, 2 ** 53, Number.NaN]) {
      await expect(store.readAll({ after })).rejects.toBeInstanceOf(InvalidPositionError);
      expect(() => store.subscribeToAll({ after })).toThrow(InvalidPositionError);
    }
    expect(server.reads).toHaveLength(0);
  });
});

describe('commit ≠ prepare (item 2): events of an explicit transaction share their commit position', () => {
  const transaction = [4000n, 4100n, 4200n].map((prepare, i) => ({ ...event(0n, i), commit: 5000n, prepare }));

  it('refuses them loudly in readAll, naming both positions', async () => {
    server.onRead = (call) => {
      call.events(transaction);
      call.end();
    };
    await expect(store.readAll()).rejects.toThrow(/commit 5000, prepare 4000\).*explicit transaction/);
  });

  it('fails the subscription on them instead of checkpointing inside the transaction', async () => {
    server.onRead = (call) => {
      call.confirm();
      call.events([event(3000n, 0, { streamId: 'contact-2' }), ...transaction]);
    };
    const reader = store.subscribeToAll()[Symbol.asyncIterator]();

    expect((await reader.next()).value).toMatchObject({ position: 3000 });
    await expect(reader.next()).rejects.toBeInstanceOf(UnusablePositionError);
  });
});

describe('poison events (item 4): content the port cannot carry', () => {
  const poisonous = [
    event(200n, 1, { contentType: 'application/octet-stream', data: Uint8Array.from([0xff, 0x00, 0x13]), type: 'Binary' }),
    event(300n, 2, { data: Buffer.from('{"name": "Zo', 'utf8'), type: 'Truncated' }),
    event(400n, 3, { data: [1, 2, 3], type: 'AnArray' }),
    event(500n, 4, { metadata: Buffer.from('not json', 'utf8'), type: 'BadMetadata' }),
  ];
  const all = [event(100n, 0), ...poisonous, event(600n, 5)];

  it('skips them in a subscription, logging and counting each with its position, and goes on', async () => {
    server.onRead = (call) => {
      call.confirm();
      call.events(all);
    };
    const subscription = store.subscribeToAll();
    const reader = subscription[Symbol.asyncIterator]();

    const received = [(await reader.next()).value, (await reader.next()).value] as RecordedEvent[];
    await subscription.unsubscribe();

    expect(received.map((e) => e.position)).toEqual([100, 600]);
    expect(store.poisonEvents.count).toBe(4);
    expect(store.poisonEvents.last.map((p) => [p.type, p.position])).toEqual([
      ['Binary', 200],
      ['Truncated', 300],
      ['AnArray', 400],
      ['BadMetadata', 500],
    ]);
    expect(warnings).toHaveLength(4);
    expect(warnings[1]).toMatch(/poison event .* \(Truncated\) of stream contact-1 at revision 2, position 300: data is malformed JSON/);
  });

  it('skips them in readAll too, logging each only once however often it is read', async () => {
    server.onRead = (call) => {
      call.events(all);
      call.end();
    };
    expect((await store.readAll()).map((e) => e.position)).toEqual([100, 600]);
    expect((await store.readAll()).map((e) => e.position)).toEqual([100, 600]);
    expect(warnings).toHaveLength(4);
  });

  it('refuses a stream holding one: folding it without the event would decide on a wrong state', async () => {
    server.onRead = (call) => {
      call.events(all.slice(0, 3), 'none');
      call.end();
    };
    const read = store.readStream('contact-1');
    await expect(read).rejects.toBeInstanceOf(UndecodableEventError);
    await expect(read).rejects.toThrow(/at revision 1, position 200, cannot be decoded: data is 3 bytes that are not UTF-8 text/);
  });

  it('reads an octet-stream event whose bytes are a JSON object', async () => {
    server.onRead = (call) => {
      call.events([event(100n, 0, { contentType: 'application/octet-stream', data: { ok: true } })]);
      call.end();
    };
    expect((await store.readStream('contact-1'))[0].data).toEqual({ ok: true });
  });
});

describe('subscription lifecycle (item 5)', () => {
  it('keeps an error the server sends before the first next(), and throws it from next() without crashing the process', async () => {
    server.onRead = (call) => call.fail(GRPC_UNAVAILABLE, 'Server Is Not Ready');
    const subscription = store.subscribeToAll();
    const [call] = await server.readsStarted(1);
    await call.whenClosed();
    await new Promise((resolve) => setTimeout(resolve, 50));

    await expect(subscription[Symbol.asyncIterator]().next()).rejects.toThrow(/Server Is Not Ready/);
  });

  it('fails when the server ends the subscription quietly: an end is not an unsubscribe', async () => {
    server.onRead = (call) => {
      call.confirm();
      call.events([event(100n, 0)]);
      call.end();
    };
    const reader = store.subscribeToAll()[Symbol.asyncIterator]();

    expect((await reader.next()).value).toMatchObject({ position: 100 });
    const ended = reader.next();
    await expect(ended).rejects.toBeInstanceOf(SubscriptionEndedError);
    await expect(ended).rejects.toThrow(/after position 100 without an unsubscribe/);
  });

  it('cancels the gRPC call when the consumer breaks out of the loop without unsubscribing', async () => {
    server.onRead = (call) => {
      call.confirm();
      call.events([event(100n, 0), event(200n, 1)]);
    };
    for await (const received of store.subscribeToAll()) {
      expect(received.position).toBe(100);
      break;
    }
    const [call] = server.reads;
    await withTimeout(call.whenClosed(), 'the server never saw the call end');
    expect(call.cancelled).toBe(true);
  });

  it('ends the iteration on unsubscribe and cancels the call', async () => {
    server.onRead = (call) => call.confirm();
    const subscription = store.subscribeToAll();
    const pending = subscription[Symbol.asyncIterator]().next();
    const [call] = await server.readsStarted(1);

    await subscription.unsubscribe();

    expect(await pending).toEqual({ done: true, value: undefined });
    await withTimeout(call.whenClosed(), 'the server never saw the call end');
  });

  it('unsubscribes a subscription whose call was never created (cluster discovery failed), destroying the client stream', async () => {
    const seeds = `127.0.0.1:${await closedPort()},127.0.0.1:${await closedPort()}`;
    const client = EventStoreDBClient.connectionString(`esdb://${seeds}?tls=false&maxDiscoverAttempts=1&discoveryInterval=10&gossipTimeout=200`);
    const raw = client.subscribeToAll();
    const subscription = new EventStoreDbAllSubscription(raw, {}, new PoisonEventLog({ warn: () => undefined }));
    const next = subscription[Symbol.asyncIterator]().next();

    await expect(next).rejects.toThrow(/Failed to discover/);
    await expect(raw.unsubscribe()).rejects.toThrow(/Failed to discover/);
    await expect(subscription.unsubscribe()).resolves.toBeUndefined();
    expect(raw.destroyed).toBe(true);
    await client.dispose();
  });

  it('unsubscribes its subscriptions when the store closes', async () => {
    server.onRead = (call) => call.confirm();
    const pending = store.subscribeToAll()[Symbol.asyncIterator]().next();
    await server.readsStarted(1);

    await store.close();

    expect(await pending).toEqual({ done: true, value: undefined });
  });
});

describe('checkpoints from another log (item 6)', () => {
  const invalidPosition = (call: ReadCall): void => call.fail(GRPC_INVALID_ARGUMENT, 'Trying to read from an invalid position.');

  it('names a position that is not a record of this log, in readAll and in a subscription', async () => {
    server.onRead = invalidPosition;

    const read = store.readAll({ after: 1234, maxCount: 1 });
    await expect(read).rejects.toBeInstanceOf(InvalidPositionError);
    await expect(read).rejects.toMatchObject({ position: 1234, reason: 'not-a-record-boundary' });
    await expect(store.subscribeToAll({ after: 1234 })[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      position: 1234,
      reason: 'not-a-record-boundary',
    });
    expect(server.reads[0].request.from).toEqual({ commit: 1234n, prepare: 1234n });
  });
});

describe('filtered reads (item 7)', () => {
  it('asks the server to filter, as a catch-up subscription that stops at the head', async () => {
    server.onRead = (call) => {
      if (answerHead(call, 900n)) return;
      call.confirm();
      call.events([event(300n, 0, { streamId: 'profile-1' }), event(700n, 0, { streamId: 'profile-2' })]);
      call.checkpoint(900n);
    };

    const events = await store.readAll({ after: 100, filter: { streamPrefixes: ['profile-'] } });

    expect(events.map((e) => e.streamId)).toEqual(['profile-1', 'profile-2']);
    const filtered = server.reads[1];
    expect(filtered.request).toMatchObject({
      target: { all: true },
      subscription: true,
      from: { commit: 100n, prepare: 100n },
      filter: { on: 'streamName', prefixes: ['profile-'] },
    });
    await withTimeout(filtered.whenClosed(), 'the filtered subscription was left open');
  });

  it('stops at maxCount, or when the server says it caught up', async () => {
    server.onRead = (call) => {
      if (answerHead(call, 900n)) return;
      call.confirm();
      call.events([event(300n, 0, { type: 'Wanted' }), event(400n, 1, { type: 'Wanted' })]);
      call.caughtUp();
    };
    expect(await store.readAll({ filter: { eventTypes: ['Wanted'] }, maxCount: 1 })).toHaveLength(1);
    expect(await store.readAll({ filter: { eventTypes: ['Wanted'] } })).toHaveLength(2);
    expect(server.reads[1].request.filter).toMatchObject({ on: 'eventType', regex: '^(?:Wanted)$' });
  });

  it('fails, closing the call, when the server goes silent before the head', async () => {
    const silent = EventStoreDbEventStore.connect(server.connectionString, { filteredReadStallMs: 300 });
    server.onRead = (call) => {
      if (answerHead(call, 900n)) return;
      call.confirm();
      call.events([event(300n, 0, { type: 'Wanted' })]);
    };
    try {
      await expect(silent.readAll({ filter: { eventTypes: ['Wanted'] } })).rejects.toThrow(/sent nothing for 300 ms during a filtered read of \$all after position 0/);
      await withTimeout(server.reads[1].whenClosed(), 'the stalled call was left open');
    } finally {
      await silent.close();
    }
  });

  it('reads nothing past the head', async () => {
    server.onRead = (call) => {
      if (answerHead(call, 900n)) return;
      throw new Error('no read expected');
    };
    expect(await store.readAll({ after: 900, filter: { eventTypes: ['Wanted'] } })).toEqual([]);
  });
});

describe('appends and truncated streams (items 3 and 8)', () => {
  it('answers an empty batch to a missing stream with revision −1 (client 6.2.1 reads the no_stream answer as 0), writing nothing', async () => {
    server.onRead = (call) => call.streamNotFound('contact-9');
    server.onAppend = () => ({ currentRevision: 'no_stream' });
    const raw = EventStoreDBClient.connectionString(server.connectionString);
    expect((await raw.appendToStream('contact-9', [])).nextExpectedRevision).toBe(0n);
    await raw.dispose();
    server.appends.length = 0;

    expect(await store.appendToStream('contact-9', [])).toEqual({ nextExpectedRevision: -1, position: 0 });
    await expect(store.appendToStream('contact-9', [], { expectedRevision: 0 })).rejects.toMatchObject({
      actual: 'no_stream',
    });
    expect(server.appends).toEqual([]);
  });

  it('finds the position of an idempotent retry, which the server answers without one', async () => {
    server.onAppend = () => ({ currentRevision: 1n });
    server.onRead = (call) => {
      expect(call.request).toMatchObject({ target: { stream: 'contact-1' }, from: 1n, count: 1n });
      call.events([event(1350n, 1)], 'none');
      call.end();
    };
    const retried = await store.appendToStream('contact-1', [{ id: '5b1c9a86-4f7e-4d33-9c1a-2f8f9b0e6a11', type: 'T', data: {}, metadata: {} }], {
      expectedRevision: 0,
    });
    expect(retried).toEqual({ nextExpectedRevision: 1, position: 1350 });
  });

  it('lets the AggregateStore append to a truncated stream, whose first revision is above 0', async () => {
    server.onRead = (call) => {
      call.events([event(800n, 5), event(900n, 6)], 'none');
      call.end();
    };
    server.onAppend = (request) => {
      if (request.expected !== 6n) return { wrongExpectedVersion: { current: 6n } };
      return { currentRevision: 7n, position: { commit: 1000n, prepare: 1000n } };
    };
    const aggregates = new AggregateStore(store, { schemaVersionOf: () => 1 });
    const counter = {
      initialState: () => 0,
      evolve: (state: number) => state + 1,
      decide: () => [{ type: 'Counted', data: {} }],
      isEvent: isEventOf({ versions: { Recorded: 1, Counted: 1 } }),
    };

    const result = await aggregates.handle('contact-1', counter, {}, context());

    expect(server.appends.map((a) => a.expected)).toEqual([6n]);
    expect(result).toMatchObject({ version: 8, position: 1000, state: 3 });
  });
});

describe('log id (issue 14), as the server answers it', () => {
  it('creates the identity stream with no_stream when it is missing, then keeps the id', async () => {
    server.onRead = (call) => call.streamNotFound(LOG_IDENTITY_STREAM);
    server.onAppend = () => ({ currentRevision: 0n, position: { commit: 700n, prepare: 700n } });

    const id = await store.logId();

    expect(server.appends).toEqual([{ streamId: LOG_IDENTITY_STREAM, expected: 'no_stream', events: [{ id, type: 'LogIdentityCreated' }] }]);
    expect(await store.logId()).toBe(id);
    expect(server.appends).toHaveLength(1);
  });

  it("takes the other process's id when it created the stream first", async () => {
    let created = false;
    server.onRead = (call) => {
      if (!created) return call.streamNotFound(LOG_IDENTITY_STREAM);
      call.events([event(650n, 0, { streamId: LOG_IDENTITY_STREAM, type: 'LogIdentityCreated', data: { logId: 'theirs' } })], 'none');
      call.end();
    };
    server.onAppend = () => {
      created = true;
      return { wrongExpectedVersion: { current: 0n } };
    };

    expect(await store.logId()).toBe('theirs');
  });
});

function context() {
  return {
    workspace: 'ws-1',
    actor: { id: 'agent-1', role: 'agent' },
    source: 'agent',
    correlationId: 'c-1',
    causationId: 'c-1',
    now: new Date('2024-05-06T07:08:09.123Z'),
  } as unknown as Parameters<AggregateStore['handle']>[3];
}

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function withTimeout<T>(promise: Promise<T>, message: string, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
