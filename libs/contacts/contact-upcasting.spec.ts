import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { SqliteDocumentStore } from '../document-store/sqlite/sqlite-document-store.js';
import type { EventStore, JsonObject } from '../event-store/event-store.port.js';
import { AggregateStore } from '../eventsourcing/aggregate-store.js';
import type { CommandContext, EventMetadata } from '../eventsourcing/event-metadata.js';
import { EventSchemaRegistry } from '../eventsourcing/event-schemas.js';
import { UpcastingEventStore } from '../eventsourcing/upcasting-event-store.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { rebuildProjection } from '../projections/rebuild-projection.js';
import { WORKSPACE_EVENT_SCHEMAS } from '../workspace/index.js';
import { WITHDRAWN_APART } from './channel-data-received.js';
import { ContactAccess } from './contact-access.js';
import { contactDecider } from './contact-decider.js';
import { CONTACT_EVENT_SCHEMAS } from './contact-events.js';
import { contactIdFor, contactStreamId } from './contact-ids.js';
import { ContactQueries } from './contact-queries.js';
import { contactViewsProjection } from './projections/contact-views/contact-views.projection.js';
import { findContactViews } from './projections/contact-views/find-contact-views.js';

/*
 * ChannelDataReceived version 1 kept a withdrawn field as a null among the personal values;
 * version 2 (current) lists it in `withdrawn`. A log written by the old code holds version 1:
 * every read (commands, projections, rebuilds, time travel) sees version 2. The same over HTTP,
 * with encrypted personal data, on both stacks: test/e2e/event-upcasting.spec.ts.
 */
const schemas = EventSchemaRegistry.of(CONTACT_EVENT_SCHEMAS, WORKSPACE_EVENT_SCHEMAS);

const WORKSPACE = 'acme';
const contactId = contactIdFor(WORKSPACE, 'telegram', 'ann-1');
const streamId = contactStreamId(contactId);
const context = (role: 'owner' | 'integration', now = new Date('2026-11-22T10:00:00.000Z')): CommandContext => ({
  workspace: WORKSPACE,
  actor: { id: `${role}-1`, role },
  source: role === 'integration' ? 'channel' : 'agent',
  correlationId: randomUUID(),
  causationId: null,
  now,
});
const v1Metadata = (occurredAt: string): EventMetadata => ({
  workspace: WORKSPACE,
  actor: { id: 'integration-1', role: 'integration' },
  source: 'channel',
  correlationId: randomUUID(),
  causationId: null,
  schemaVersion: 1,
  occurredAt,
});

describe('ChannelDataReceived version 1, upcast to version 2', () => {
  it('moves the nulls among the values to `withdrawn`; an erased event keeps its null values and withdraws nothing', () => {
    const values = { name: 'ann', email: null, avatarUrl: null };
    expect(WITHDRAWN_APART.upcast({ personal: { values } }, {})).toEqual({ personal: { values: { name: 'ann' } }, withdrawn: ['email', 'avatarUrl'] });
    const erased = { name: null, email: null };
    expect(WITHDRAWN_APART.upcast({ personal: { values: erased } }, { personalDataErased: true })).toEqual({ personal: { values: erased }, withdrawn: [] });
  });
});

describe('a log written by the old code (ChannelDataReceived v1), read through the upcasting log', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let log: EventStore;
  let aggregates: AggregateStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upcasting-'));
    raw = SqliteEventStore.open(join(dir, 'events.sqlite'));
    log = new UpcastingEventStore(raw, schemas);
    aggregates = new AggregateStore(log, schemas);
    const old = (data: JsonObject, occurredAt: string) => ({ id: randomUUID(), type: 'ChannelDataReceived', data, metadata: v1Metadata(occurredAt) });
    await raw.appendToStream(
      streamId,
      [
        { id: randomUUID(), type: 'ContactRegistered', data: { contactId, workspace: WORKSPACE, channel: 'telegram', personal: { channelContactId: 'ann-1' } }, metadata: v1Metadata('2026-11-20T10:00:00.000Z') },
        old({ personal: { values: { name: 'ann', email: 'ann@old.example' } } }, '2026-11-20T10:00:00.000Z'),
        old({ personal: { values: { email: null } } }, '2026-11-21T10:00:00.000Z'),
      ],
      { expectedRevision: 'no_stream' },
    );
  });
  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads it in version 2 from the stream and the whole log, the stored bytes untouched', async () => {
    const [, first, second] = await log.readStream(streamId);
    expect(first).toMatchObject({ data: { personal: { values: { name: 'ann', email: 'ann@old.example' } }, withdrawn: [] }, metadata: { schemaVersion: 2 } });
    expect(second).toMatchObject({ data: { personal: { values: {} }, withdrawn: ['email'] }, metadata: { schemaVersion: 2 } });
    expect((await log.readAll()).slice(1)).toEqual([first, second]);
    expect((await raw.readStream(streamId))[2]).toMatchObject({ data: { personal: { values: { email: null } } }, metadata: { schemaVersion: 1 } });
  });

  it('decides commands on it, and writes version 2 beside it', async () => {
    const same = await aggregates.handle(streamId, contactDecider, report({ name: 'ann', email: null }), context('integration'));
    expect(same.appended).toEqual([]);
    const next = await aggregates.handle(streamId, contactDecider, report({ name: null, email: 'ann@new.example' }), context('integration'));
    expect(next.appended).toMatchObject([{ type: 'ChannelDataReceived', data: { personal: { values: { email: 'ann@new.example' } }, withdrawn: ['name'] }, metadata: { schemaVersion: 2 } }]);
    expect((await raw.readStream(streamId)).map((event) => event.metadata.schemaVersion)).toEqual([1, 1, 1, 2]);
  });

  it('projects it, live and in a rebuild', async () => {
    const documents = SqliteDocumentStore.open(':memory:');
    const runner = new ProjectionRunner(log, documents, [contactViewsProjection], { logger: { error: () => {} } });
    try {
      await runner.start();
      expect(await runner.waitForPosition(await log.headPosition(), 10_000)).toBe(true);
      const [live] = await findContactViews(documents, WORKSPACE, [contactId]);
      expect(live?.fields.name).toMatchObject({ value: 'ann', channelValue: 'ann' });
      expect(live?.fields.email).toMatchObject({ value: null, channelValue: null });
      await runner.stop();
      await rebuildProjection(log, documents, contactViewsProjection);
      expect(await findContactViews(documents, WORKSPACE, [contactId])).toEqual([live]);
    } finally {
      await runner.stop();
      await documents.close();
    }
  });

  it('shows the view as it was at a past time (asOf)', async () => {
    const queries = new ContactQueries(log, SqliteDocumentStore.open(':memory:'), aggregates, new ContactAccess(aggregates));
    expect((await queries.contactViewAsOf({ workspace: WORKSPACE }, contactId, '2026-11-20T12:00:00.000Z')).fields.email).toMatchObject({ value: 'ann@old.example' });
    expect((await queries.contactViewAsOf({ workspace: WORKSPACE }, contactId, '2026-11-21T12:00:00.000Z')).fields.email).toMatchObject({ value: null });
  });
});

function report(values: Record<string, string | null>) {
  return { type: 'ReportChannelContact', contactId, workspace: WORKSPACE, channel: 'telegram', channelContactId: 'ann-1', values } as const;
}
