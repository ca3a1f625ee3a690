import Type from 'typebox';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { SqliteDocumentStore } from '../document-store/sqlite/sqlite-document-store.js';
import type { EventStore, JsonObject } from '../event-store/event-store.port.js';
import { AggregateStore } from '../eventsourcing/aggregate-store.js';
import type { CommandContext, EventMetadata } from '../eventsourcing/event-metadata.js';
import { EventSchemaRegistry, type Upcaster } from '../eventsourcing/event-schemas.js';
import { UpcastingEventStore } from '../eventsourcing/upcasting-event-store.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { rebuildProjection } from '../projections/rebuild-projection.js';
import { WORKSPACE_EVENT_SCHEMAS } from '../workspace/index.js';
import { ContactAccess } from './contact-access.js';
import { contactDecider } from './contact-decider.js';
import { CONTACT_EVENT_SCHEMAS } from './contact-events.js';
import { contactIdFor, contactStreamId } from './contact-ids.js';
import { ContactQueries } from './contact-queries.js';
import { contactViewsProjection } from './projections/contact-views/contact-views.projection.js';
import { findContactViews } from './projections/contact-views/find-contact-views.js';

/*
 * A ContactFieldEdited stored in an older schema: say version 1 kept the value beside the field,
 * and version 2 (current, in this spec) moved it under `personal`. The upcaster turns one into
 * the other on every read: commands, projections, rebuilds, replays and time travel see version 2.
 */
const valueUnderPersonal: Upcaster = {
  type: 'ContactFieldEdited',
  fromVersion: 1,
  schema: Type.Object({ field: Type.String(), value: Type.String() }),
  upcast: ({ value, ...data }: JsonObject) => ({ ...data, personal: { value } }),
};
const schemas = EventSchemaRegistry.of(
  { ...CONTACT_EVENT_SCHEMAS, versions: { ...CONTACT_EVENT_SCHEMAS.versions, ContactFieldEdited: 2 }, upcasters: [valueUnderPersonal] },
  WORKSPACE_EVENT_SCHEMAS,
);

const WORKSPACE = 'acme';
const contactId = contactIdFor(WORKSPACE, 'telegram', 'ann-1');
const streamId = contactStreamId(contactId);
const context = (role: 'owner' | 'integration', now = new Date('2026-11-20T10:00:00.000Z')): CommandContext => ({
  workspace: WORKSPACE,
  actor: { id: `${role}-1`, role },
  source: role === 'integration' ? 'channel' : 'agent',
  correlationId: randomUUID(),
  causationId: null,
  now,
});

describe('an event stored in an older schema version, read through the upcasting log', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let log: EventStore;
  let aggregates: AggregateStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upcasting-'));
    raw = SqliteEventStore.open(join(dir, 'events.sqlite'));
    log = new UpcastingEventStore(raw, schemas);
    aggregates = new AggregateStore(log, schemas);
    const report = { type: 'ReportChannelContact', contactId, workspace: WORKSPACE, channel: 'telegram', channelContactId: 'ann-1', values: { name: 'ann' } } as const;
    await aggregates.handle(streamId, contactDecider, report, context('integration'));
    const metadata: EventMetadata = {
      workspace: WORKSPACE,
      actor: { id: 'owner-1', role: 'owner' },
      source: 'agent',
      correlationId: randomUUID(),
      causationId: null,
      schemaVersion: 1,
      occurredAt: '2026-11-21T10:00:00.000Z',
    };
    await raw.appendToStream(streamId, [{ id: randomUUID(), type: 'ContactFieldEdited', data: { field: 'name', value: 'Ann Lee' }, metadata }], {
      expectedRevision: 1,
    });
  });
  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replays it in the current schema, the stored bytes untouched', async () => {
    const [, , edited] = await log.readStream(streamId);
    expect(edited).toMatchObject({ type: 'ContactFieldEdited', data: { field: 'name', personal: { value: 'Ann Lee' } }, metadata: { schemaVersion: 2 } });
    expect((await log.readAll()).at(-1)).toEqual(edited);
    expect((await raw.readStream(streamId))[2]).toMatchObject({ data: { field: 'name', value: 'Ann Lee' }, metadata: { schemaVersion: 1 } });
  });

  it('decides commands on it: the same edit writes nothing, a restore drops it', async () => {
    const same = await aggregates.handle(streamId, contactDecider, { type: 'EditContactFields', contactId, changes: { name: 'Ann Lee' } }, context('owner'));
    expect(same.appended).toEqual([]);
    const restored = await aggregates.handle(streamId, contactDecider, { type: 'RestoreFromChannel', contactId, fields: ['name'] }, context('owner'));
    expect(restored.appended).toMatchObject([{ type: 'ContactRestoredFromChannel', data: { fields: ['name'] } }]);
  });

  it('projects it, live and in a rebuild', async () => {
    const documents = SqliteDocumentStore.open(':memory:');
    const runner = new ProjectionRunner(log, documents, [contactViewsProjection], { logger: { error: () => {} } });
    try {
      await runner.start();
      expect(await runner.waitForPosition(await log.headPosition(), 10_000)).toBe(true);
      const [live] = await findContactViews(documents, WORKSPACE, [contactId]);
      expect(live?.fields.name).toMatchObject({ value: 'Ann Lee', edited: true, editedBy: 'owner-1' });
      await runner.stop();
      await rebuildProjection(log, documents, contactViewsProjection);
      expect(await findContactViews(documents, WORKSPACE, [contactId])).toEqual([live]);
    } finally {
      await runner.stop();
      await documents.close();
    }
  });

  it('shows it in the view as it was at a past time (asOf)', async () => {
    const queries = new ContactQueries(log, SqliteDocumentStore.open(':memory:'), aggregates, new ContactAccess(aggregates));
    const view = await queries.contactViewAsOf({ workspace: WORKSPACE }, contactId, '2026-11-22T00:00:00.000Z');
    expect(view.fields.name).toMatchObject({ value: 'Ann Lee', channelValue: 'ann', edited: true, editedAt: '2026-11-21T10:00:00.000Z' });
    const before = await queries.contactViewAsOf({ workspace: WORKSPACE }, contactId, '2026-11-20T12:00:00.000Z');
    expect(before.fields.name).toMatchObject({ value: 'ann', edited: false });
  });
});
