import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { rebuildProjections } from '../../apps/cli/rebuild.command.js';
import { LineOutput } from '../../apps/cli/line-output.js';
import { replay, replayFilterOf } from '../../apps/cli/replay.command.js';
import { openEventLog } from '../../apps/shared/event-log.js';
import { ALL_PROJECTIONS } from '../../apps/shared/projections.js';
import { contactIdFor, contactStreamId } from '../../libs/contacts/index.js';
import { loadConfig, type AppConfig } from '../../libs/config/config.js';
import { openDocumentStore } from '../../libs/document-store/open-document-store.js';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store.js';
import type { JsonObject } from '../../libs/event-store/event-store.port.js';
import { TEST_SECRET, type ApiHarness } from '../support/api-harness.js';
import { E2E_STACKS, startStack } from '../support/stacks.js';

type Json = Record<string, any>;

const T1 = '2026-11-20T10:00:00.000Z';
const T2 = '2026-11-21T10:00:00.000Z';

/*
 * A log written by the version of the service before ChannelDataReceived v2 (a withdrawn field
 * was a null among the personal values), personal data encrypted as that version did; the
 * current service runs on it and writes v2 beside it. Every path reads v2: live projections,
 * views, history, the audit trail, `asOf`, the event stream, the CLI replay, a rebuild, a deletion.
 */
describe.each(E2E_STACKS)('a log holding ChannelDataReceived v1 and v2, on %s', (_, envOf) => {
  const contactId = contactIdFor('acme', 'telegram', 'ann-1');
  let dir: string;
  let env: Record<string, string>;
  let config: AppConfig;
  let api: ApiHarness;
  let stop: () => Promise<void>;
  let owner: string;
  let head: number;

  /** Appends as the old code did: through the personal-data decorator (encrypted), with schemaVersion 1. */
  async function writeAsTheOldVersion(): Promise<number> {
    const log = await openEventLog(config);
    const metadata = (occurredAt: string) => ({
      workspace: 'acme',
      actor: { id: 'integration-1', role: 'integration' },
      source: 'channel',
      correlationId: randomUUID(),
      causationId: null,
      schemaVersion: 1,
      occurredAt,
      personalDataKey: contactStreamId(contactId),
    });
    const event = (type: string, data: JsonObject, occurredAt: string) => ({ id: randomUUID(), type, data, metadata: metadata(occurredAt) });
    try {
      const { position } = await log.appendToStream(
        contactStreamId(contactId),
        [
          event('ContactRegistered', { contactId, workspace: 'acme', channel: 'telegram', personal: { channelContactId: 'ann-1' } }, T1),
          event('ChannelDataReceived', { personal: { values: { name: 'ann', phone: '+15551234567', email: 'ann@old.example' } } }, T1),
          event('ChannelDataReceived', { personal: { values: { email: null } } }, T2),
        ],
        { expectedRevision: 'no_stream' },
      );
      return position;
    } finally {
      await log.close();
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'contact-profiles-upcasting-'));
    env = envOf();
    config = loadConfig({ DATA_DIR: dir, AUTH_JWT_SECRET: TEST_SECRET, ...env });
    head = await writeAsTheOldVersion();
    ({ api, stop } = await startStack(env, dir));
    owner = await api.token('owner');
  });
  afterAll(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string) => {
    const response = await api.request('GET', path, { token: owner });
    expect(response.status).toBe(200);
    return response.body;
  };
  const publishedEvents = async (): Promise<Json[]> => {
    const response = await api.fetch(`${api.baseUrl}/v1/events?from=0&types=ChannelDataReceived`, { headers: { authorization: `Bearer ${owner}` } });
    return (await response.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Json);
  };
  const cliReplay = async (): Promise<Json[]> => {
    const lines: string[] = [];
    const log = await openEventLog(config);
    try {
      const output = new LineOutput(new Writable({ write: (chunk, __, done) => (lines.push(...String(chunk).split('\n').filter(Boolean)), done()) }));
      await replay(log, replayFilterOf([contactId, '--type', 'ChannelDataReceived']), output, { isTTY: false, write: () => true });
    } finally {
      await log.close();
    }
    return lines.map((line) => JSON.parse(line) as Json);
  };

  it('projects the old events live: view, history, audit trail and asOf read them as v2', async () => {
    const view = await get(`/v1/contacts/${contactId}?minPosition=${head}`);
    expect(view.fields).toMatchObject({
      name: { value: 'ann', channelValue: 'ann' },
      phone: { value: '+15551234567' },
      email: { value: null, channelValue: null },
    });
    expect((await get(`/v1/contacts/${contactId}?asOf=2026-11-20T12:00:00.000Z`)).fields.email).toMatchObject({ value: 'ann@old.example' });
    const history = await get(`/v1/contacts/${contactId}/history?minPosition=${head}`);
    expect(history.filter((entry: Json) => entry.field === 'email')).toMatchObject([
      { at: T1, from: null, to: 'ann@old.example', eventType: 'ChannelDataReceived' },
      { at: T2, from: 'ann@old.example', to: null, eventType: 'ChannelDataReceived' },
    ]);
    expect(await get(`/v1/audit?minPosition=${head}&field=email`)).toMatchObject([
      { contactId, to: 'ann@old.example' },
      { contactId, from: 'ann@old.example', to: null },
    ]);
  });

  it('writes new events as v2 beside them; the stream and the CLI replay publish every one as v2, valid against its schema', async () => {
    const reported = await api.request('POST', '/v1/channel-contacts', {
      token: await api.token('integration'),
      body: { channel: 'telegram', channelContactId: 'ann-1', name: 'Ann Lee', phone: null },
    });
    expect(reported.status).toBe(200);
    head = reported.body.position;
    const raw = SqliteEventStore.open(join(dir, 'events.sqlite'));
    try {
      const stored = await raw.readStream(contactStreamId(contactId));
      expect(JSON.stringify(stored)).not.toContain('ann@old.example');
      expect(stored.map(({ type, metadata }) => `${type} v${String(metadata.schemaVersion)}`)).toEqual([
        'ContactRegistered v1',
        'ChannelDataReceived v1',
        'ChannelDataReceived v1',
        'ChannelDataReceived v2',
      ]);
    } finally {
      await raw.close();
    }

    const events = await publishedEvents();
    expect(events.map(({ schemaVersion, data }) => ({ schemaVersion, data }))).toEqual([
      { schemaVersion: 2, data: { personal: { values: { name: 'ann', phone: '+15551234567', email: 'ann@old.example' } }, withdrawn: [] } },
      { schemaVersion: 2, data: { personal: { values: {} }, withdrawn: ['email'] } },
      { schemaVersion: 2, data: { personal: { values: { name: 'Ann Lee' } }, withdrawn: ['phone'] } },
    ]);
    expect(await cliReplay()).toEqual(events);

    const schemas = await get('/v1/event-schemas');
    expect(Object.keys(schemas.ChannelDataReceived)).toEqual(['1', '2']);
    const ajv = new Ajv2020({ strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schemas.ChannelDataReceived['2']);
    expect(events.filter((event) => !validate(event))).toEqual([]);
    expect(ajv.compile(schemas.ChannelDataReceived['1'])({ ...events[1], schemaVersion: 1, metadata: { ...events[1]!.metadata, schemaVersion: 1 }, data: { personal: { values: { email: null } } } })).toBe(true);

    const view = await get(`/v1/contacts/${contactId}?minPosition=${head}`);
    expect(view.fields).toMatchObject({ name: { value: 'Ann Lee' }, phone: { value: null, channelValue: null }, email: { value: null } });
  });

  it('rebuilds every read model from the mixed log to what the live projections made', async () => {
    const before = { view: await get(`/v1/contacts/${contactId}?minPosition=${head}`), history: await get(`/v1/contacts/${contactId}/history?minPosition=${head}`) };
    await api.close();
    const [log, documents] = [await openEventLog(config), await openDocumentStore(config)];
    try {
      await rebuildProjections(log, documents, ALL_PROJECTIONS, { isTTY: false, write: () => true });
    } finally {
      await documents.close();
      await log.close();
    }
    ({ api, stop } = await startStack(env, dir));
    owner = await api.token('owner');
    expect({ view: await get(`/v1/contacts/${contactId}?minPosition=${head}`), history: await get(`/v1/contacts/${contactId}/history?minPosition=${head}`) }).toEqual(before);
  });

  it('erases the old events with the new ones when the contact is deleted: their upcast shape stays valid', async () => {
    expect((await api.request('DELETE', `/v1/contacts/${contactId}`, { token: owner })).status).toBe(204);
    const events = await publishedEvents();
    expect(events.map(({ metadata, data }) => ({ erased: metadata.personalDataErased, data }))).toEqual([
      { erased: true, data: { personal: { values: { name: null, phone: null, email: null } }, withdrawn: [] } },
      { erased: true, data: { personal: { values: { email: null } }, withdrawn: [] } },
      { erased: true, data: { personal: { values: { name: null } }, withdrawn: ['phone'] } },
    ]);
    const ajv = new Ajv2020({ strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile((await get('/v1/event-schemas')).ChannelDataReceived['2']);
    expect(events.filter((event) => !validate(event))).toEqual([]);
  });
});
