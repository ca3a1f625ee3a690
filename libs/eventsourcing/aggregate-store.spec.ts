import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  workspacePermissionsDecider,
  WORKSPACE_EVENT_SCHEMAS,
  type WorkspacePermissionsCommand,
} from '../workspace/workspace-permissions.js';
import { VersionConflictError } from './domain-errors.js';
import type { CommandContext } from './event-metadata.js';
import { AggregateStore } from './aggregate-store.js';
import { EventOutsideContractError, EventSchemaRegistry, isEventOf } from './event-schemas.js';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import type { ReadStreamOptions } from '../event-store/event-store.port.js';
import { SqliteDocumentStore } from '../document-store/sqlite/sqlite-document-store.js';
import type { Decider } from './decider.js';
import { DocumentSnapshotStore, SNAPSHOTS_COLLECTION } from './snapshots/document-snapshot-store.js';
import type { Snapshot } from './snapshots/snapshot-store.port.js';

const grant = (...agentIds: string[]): WorkspacePermissionsCommand => ({ type: 'GrantContactEditing', agentIds });
const context = (actorId = 'manager-1', conditions: Pick<CommandContext, 'expectedVersion' | 'idempotencyKey'> = {}): CommandContext => ({
  workspace: 'acme',
  actor: { id: actorId, role: 'manager' },
  source: 'agent',
  correlationId: 'corr-1',
  causationId: null,
  now: new Date('2026-11-23T10:00:00.000Z'),
  ...conditions,
});

describe('AggregateStore on the SQLite log', () => {
  let dir: string;
  let store: SqliteEventStore;
  let aggregates: AggregateStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aggregate-store-'));
    store = SqliteEventStore.open(join(dir, 'events.sqlite'));
    aggregates = new AggregateStore(store, EventSchemaRegistry.of(WORKSPACE_EVENT_SCHEMAS));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends the decided events with the metadata of the command', async () => {
    const result = await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a1'), context());
    expect(result).toMatchObject({ version: 1, replayed: false });
    const [event] = await store.readStream('workspace-acme');
    expect(event).toMatchObject({
      type: 'ContactEditingGranted',
      data: { agentIds: ['a1'] },
      metadata: {
        workspace: 'acme',
        actor: { id: 'manager-1', role: 'manager' },
        source: 'agent',
        correlationId: 'corr-1',
        causationId: null,
        schemaVersion: 1,
        occurredAt: '2026-11-23T10:00:00.000Z',
      },
    });
    expect(result.position).toBe(event!.position);
  });

  it('refuses an event outside the published schemas (a defect of the decider) and writes nothing', async () => {
    const sloppy = { ...workspacePermissionsDecider, decide: () => [{ type: 'ContactEditingGranted' as const, data: { agentIds: [], note: 'x' } }] };
    const refused = await aggregates.handle('workspace-acme', sloppy, grant('a1'), context()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(EventOutsideContractError);
    expect((refused as Error).message).toMatch(/^ContactEditingGranted data does not match its schema: .*additional properties.*\/agentIds must not have fewer than 1 items/);
    const unknown = { ...workspacePermissionsDecider, decide: () => [{ type: 'ContactEditingGranted', data: { agentIds: ['a1'] } }, { type: 'AgentsHugged', data: {} }] };
    await expect(aggregates.handle('workspace-acme', unknown as typeof workspacePermissionsDecider, grant('a1'), context())).rejects.toThrow(
      new EventOutsideContractError('The event type AgentsHugged has no schema'),
    );
    expect(await store.headPosition()).toBe(0);
  });

  it('appends nothing when the decider decides nothing', async () => {
    await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a1'), context());
    const again = await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a1'), context());
    expect(again).toMatchObject({ version: 1, appended: [] });
    expect(await store.headPosition()).toBe(1);
  });

  it('refuses a stale expected version with a VersionConflictError and writes nothing', async () => {
    await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a1'), context());
    await expect(
      aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a2'), context('manager-1', { expectedVersion: 0 })),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect(await store.headPosition()).toBe(1);
  });

  it('answers a retry with the same idempotency key with the first result, even after later writes', async () => {
    const first = await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a1'), context('manager-1', { idempotencyKey: 'k1' }));
    await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a2'), context());
    const retry = await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a1'), context('manager-1', { idempotencyKey: 'k1' }));
    expect(retry).toMatchObject({ replayed: true, version: first.version, position: first.position });
    expect([...retry.state.contactEditors]).toEqual(['a1']);
    expect(await store.headPosition()).toBe(2);
  });

  it('scopes idempotency keys by actor: the same key from another actor is a new command', async () => {
    await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a1'), context('m1', { idempotencyKey: 'k' }));
    const other = await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a2'), context('m2', { idempotencyKey: 'k' }));
    expect(other).toMatchObject({ replayed: false, version: 2 });
  });

  it('loses no update when many commands race on one stream without an expected version', async () => {
    const agents = Array.from({ length: 15 }, (_, i) => `agent-${i}`);
    const results = await Promise.all(agents.map((id) => aggregates.handle('workspace-acme', workspacePermissionsDecider, grant(id), context())));
    expect(new Set(results.map((r) => r.version)).size).toBe(agents.length);
    const { state, version } = await aggregates.load('workspace-acme', workspacePermissionsDecider);
    expect(version).toBe(agents.length);
    expect([...state.contactEditors].sort()).toEqual([...agents].sort());
  });

  /** The stream reads the store answers, recorded on the real SQLite log. */
  const readsOf = (target: SqliteEventStore) => {
    const reads: Array<{ options: ReadStreamOptions | undefined; events: number }> = [];
    const readStream = target.readStream.bind(target);
    target.readStream = async (streamId, options) => {
      const events = await readStream(streamId, options);
      reads.push({ options, events: events.length });
      return events;
    };
    return reads;
  };

  describe('recent states', () => {
    it('a command reads only the events after the state the last command left', async () => {
      await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a1'), context());
      const reads = readsOf(store);
      const second = await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a2'), context());
      expect(reads).toEqual([{ options: { fromRevision: 1 }, events: 0 }]);
      expect(second).toMatchObject({ version: 2, replayed: false });
      expect([...second.state.contactEditors]).toEqual(['a1', 'a2']);
      const loaded = await aggregates.load('workspace-acme', workspacePermissionsDecider);
      expect(reads.at(-1)).toEqual({ options: { fromRevision: 2 }, events: 0 });
      expect([...loaded.state.contactEditors]).toEqual(['a1', 'a2']);
    });

    it("another process's writes since are read on and decided against: no update lost, If-Match checked against the log", async () => {
      const otherProcess = new AggregateStore(store, EventSchemaRegistry.of(WORKSPACE_EVENT_SCHEMAS));
      await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a1'), context());
      await otherProcess.handle('workspace-acme', workspacePermissionsDecider, grant('a2'), context());
      await otherProcess.handle('workspace-acme', workspacePermissionsDecider, { type: 'RevokeContactEditing', agentIds: ['a1'] }, context());
      await expect(
        aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a3'), context('manager-1', { expectedVersion: 1 })),
      ).rejects.toEqual(new VersionConflictError(1, 3));
      const reads = readsOf(store);
      const result = await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a3'), context());
      expect(reads).toEqual([{ options: { fromRevision: 3 }, events: 0 }]);
      expect(result.version).toBe(4);
      expect([...result.state.contactEditors].sort()).toEqual(['a2', 'a3']);
      const fresh = await new AggregateStore(store, EventSchemaRegistry.of(WORKSPACE_EVENT_SCHEMAS)).load('workspace-acme', workspacePermissionsDecider);
      expect(fresh).toEqual({ state: result.state, version: 4 });
    });

    it('an idempotent retry reads the whole stream, and a state as it was (asOf) reads from the first event, whatever is recent', async () => {
      await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a1'), context('manager-1', { idempotencyKey: 'k1' }));
      await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a2'), context());
      const reads = readsOf(store);
      const retry = await aggregates.handle('workspace-acme', workspacePermissionsDecider, grant('a1'), context('manager-1', { idempotencyKey: 'k1' }));
      expect(retry).toMatchObject({ replayed: true, version: 1 });
      const then = await aggregates.load('workspace-acme', workspacePermissionsDecider, { asOf: '2026-11-23T09:00:00.000Z' });
      expect(then).toEqual({ state: workspacePermissionsDecider.initialState(), version: 0 });
      expect(reads).toEqual([
        { options: undefined, events: 2 },
        { options: { fromRevision: 0, maxCount: 256 }, events: 2 },
      ]);
    });
  });

  describe('snapshots and asOf', () => {
    type Added = { type: 'Added'; data: { added: number } };
    type Tally = { total: number; at: string | null };
    const tally: Decider<{ add: number[] }, Tally, Added> = {
      initialState: () => ({ total: 0, at: null }),
      evolve: (state, event) => ({ total: state.total + event.data.added, at: event.metadata.occurredAt }),
      decide: ({ add }) => add.map((added) => ({ type: 'Added', data: { added } })),
      isEvent: isEventOf<Added>({ versions: { Added: 1 } }),
      snapshotSchema: 'tally.v1',
    };
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 10, minute));
    const add = (minute: number, ...add: number[]) => tallies.handle('tally-1', tally, { add }, { ...context(), now: at(minute) });
    const unversioned = { schemaVersionOf: () => 1 };
    let documents: SqliteDocumentStore;
    let tallies: AggregateStore;

    beforeEach(() => {
      documents = SqliteDocumentStore.open(join(dir, 'read-models.sqlite'));
      tallies = new AggregateStore(store, unversioned, { snapshots: new DocumentSnapshotStore(documents), snapshotEvery: 3 });
    });
    afterEach(() => documents.close());

    const savedVersions = async () => (await documents.collection<Snapshot & { _id: string }>(SNAPSHOTS_COLLECTION).find({}, { sort: { version: 1 } })).map((saved) => saved.version);

    it('saves a snapshot each time a command takes the stream past a multiple of snapshotEvery', async () => {
      for (let minute = 1; minute <= 5; minute++) await add(minute, 1);
      expect(await savedVersions()).toEqual([3]);
      await add(6, 1, 1);
      expect(await savedVersions()).toEqual([3, 7]);
    });

    it('folds a past state from the latest snapshot before the time and stops at the first event after it', async () => {
      for (let minute = 1; minute <= 8; minute++) await add(minute, minute);
      const reads = readsOf(store);
      const then = await tallies.load('tally-1', tally, { asOf: at(4).toISOString() });
      expect(then).toEqual({ state: { total: 1 + 2 + 3 + 4, at: at(4).toISOString() }, version: 4 });
      expect(reads).toEqual([
        { options: { fromRevision: 2, maxCount: 1 }, events: 1 },
        { options: { fromRevision: 3, maxCount: 256 }, events: 5 },
      ]);
      const withoutSnapshots = new AggregateStore(store, unversioned);
      for (const minute of [0, 1, 3, 5, 6, 8, 9]) {
        const asOf = new Date(at(minute).getTime() + 30_000).toISOString();
        expect(await tallies.load('tally-1', tally, { asOf })).toEqual(await withoutSnapshots.load('tally-1', tally, { asOf }));
      }
    });

    it("uses no snapshot whose last event the log does not have where it says (another log's, or a log restored to an earlier state)", async () => {
      for (let minute = 1; minute <= 4; minute++) await add(minute, minute);
      const snapshots = new DocumentSnapshotStore(documents);
      await snapshots.save({ streamId: 'tally-1', schema: 'tally.v1', version: 4, position: 999, occurredUntil: at(4).toISOString(), state: { total: 1_000, at: null } });
      await snapshots.save({ streamId: 'tally-1', schema: 'tally.v1', version: 9, position: 4, occurredUntil: at(4).toISOString(), state: { total: 2_000, at: null } });
      expect(await tallies.load('tally-1', tally, { asOf: at(5).toISOString() })).toEqual({ state: { total: 10, at: at(4).toISOString() }, version: 4 });
      await documents.dropCollection(SNAPSHOTS_COLLECTION);
      await snapshots.save({ streamId: 'tally-1', schema: 'tally.v1', version: 4, position: 999, occurredUntil: at(4).toISOString(), state: { total: 1_000, at: null } });
      expect(await tallies.load('tally-1', tally, { asOf: at(5).toISOString() })).toEqual({ state: { total: 10, at: at(4).toISOString() }, version: 4 });
    });

    it('gives a command that lost the race on a later clock no earlier time than the stream has', async () => {
      await add(5, 1);
      await add(2, 1);
      const times = (await store.readStream('tally-1')).map((event) => (event.metadata as { occurredAt: string }).occurredAt);
      expect(times).toEqual([at(5).toISOString(), at(5).toISOString()]);
    });

    it('a snapshot store that fails costs a longer read of the log, not the command or the read', async () => {
      const failures: unknown[] = [];
      const closed = SqliteDocumentStore.open(join(dir, 'closed.sqlite'));
      await closed.close();
      tallies = new AggregateStore(store, unversioned, { snapshots: new DocumentSnapshotStore(closed), snapshotEvery: 1, onSnapshotFailure: (error) => failures.push(error) });
      await expect(add(1, 2)).resolves.toMatchObject({ version: 1 });
      await expect(tallies.load('tally-1', tally, { asOf: at(1).toISOString() })).resolves.toEqual({ state: { total: 2, at: at(1).toISOString() }, version: 1 });
      expect(failures).toHaveLength(2);
    });
  });
});
