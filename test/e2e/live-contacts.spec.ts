import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '../../libs/auth/tokens.js';
import { startApi, TEST_SECRET, type ApiHarness } from '../support/api-harness.js';
import { startApiProcess, type ApiProcess } from '../support/api-process.js';
import { SseClient } from '../support/sse-client.js';
import { dropStackDatabase, E2E_STACKS } from '../support/stacks.js';

describe.each(E2E_STACKS)('GET /v1/live/contacts on %s', (_, envOf) => {
  let api: ApiHarness;
  let env: Record<string, string>;
  let integration: string;
  let owner: string;

  beforeAll(async () => {
    env = envOf();
    api = await startApi({ ...env, SSE_HEARTBEAT_MS: '200' });
    integration = await api.token('integration');
    owner = await api.token('owner');
  });
  afterAll(async () => {
    await api.close();
    await dropStackDatabase(env);
  });

  const register = async (name: string, workspace = 'acme') => {
    const token = workspace === 'acme' ? integration : await api.token('integration', { workspace });
    const { body } = await api.request('POST', '/v1/channel-contacts', { token, body: { channel: 'telegram', channelContactId: randomUUID(), name } });
    await api.request('GET', `/v1/contacts/${body.contactId}?minPosition=${body.position}`, { token: owner });
    return body.contactId as string;
  };
  const watch = (ids: string[], token = owner, headers: Record<string, string> = {}) =>
    SseClient.open(`${api.baseUrl}/v1/live/contacts?ids=${ids.join(',')}`, { authorization: `Bearer ${token}`, ...headers });
  const edit = async (id: string, name: string) => (await api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { name } })).body;
  const contactMessages = (client: SseClient) => client.messages.filter((message) => message.event === 'contact');

  it('pushes the new view once to each of two clients watching the contact, with id = its position', async () => {
    const id = await register('Ann');
    const other = await register('Bob');
    const [first, second] = await Promise.all([watch([id]), watch([id, other])]);
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/event-stream/);

    const edited = await edit(id, 'Ann Lee');
    await first.until(() => contactMessages(first).length >= 1);
    await second.until(() => contactMessages(second).length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const client of [first, second]) {
      expect(contactMessages(client)).toHaveLength(1);
      const [message] = contactMessages(client);
      expect(message!.id).toBe(String(edited.position));
      expect(JSON.parse(message!.data)).toMatchObject({ id, version: edited.version, fields: { name: { value: 'Ann Lee', edited: true } } });
    }
    await Promise.all([first.close(), second.close()]);
  });

  it('resumes after Last-Event-ID with the views that changed meanwhile, then goes on live', async () => {
    const [ann, bob] = [await register('Ann'), await register('Bob')];
    const client = await watch([ann, bob]);
    await edit(ann, 'Ann One');
    // Bob's registration may be projected after the watch began, and so pushed too: wait for Ann's edit.
    const annOne = () => contactMessages(client).find((message) => JSON.parse(message.data).fields.name.value === 'Ann One');
    await client.until(() => annOne() !== undefined);
    const lastId = annOne()!.id!;
    await client.close();

    await edit(bob, 'Bob While Away');
    const away = await edit(ann, 'Ann While Away');
    await api.request('GET', `/v1/contacts/${ann}?minPosition=${away.position}`, { token: owner });
    const resumed = await watch([ann, bob], owner, { 'last-event-id': lastId });
    await resumed.until(() => contactMessages(resumed).length === 2);
    expect(contactMessages(resumed).map((message) => JSON.parse(message.data).fields.name.value)).toEqual(['Bob While Away', 'Ann While Away']);
    const ids = contactMessages(resumed).map((message) => Number(message.id));
    expect(ids[0]!).toBeGreaterThan(Number(lastId));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    await edit(bob, 'Bob Live');
    await resumed.until(() => contactMessages(resumed).length === 3);
    expect(JSON.parse(contactMessages(resumed)[2]!.data).fields.name.value).toBe('Bob Live');
    await resumed.close();
  });

  it('sends heartbeats, never shows another workspace its contacts, and refuses bad ids', async () => {
    const id = await register('Eve');
    const foreign = await watch([id], await api.token('owner', { workspace: 'globex' }));
    await edit(id, 'Eve Edited');
    await foreign.until(() => foreign.comments >= 3, 3_000);
    expect(contactMessages(foreign)).toHaveLength(0);
    await foreign.close();

    expect((await api.request('GET', '/v1/live/contacts?ids=not-a-uuid', { token: owner })).status).toBe(400);
    expect((await api.request('GET', '/v1/live/contacts', { token: owner })).status).toBe(400);
    expect((await api.request('GET', `/v1/live/contacts?ids=${id}`)).status).toBe(401);
  });
});

describe('GET /v1/live/contacts across two API processes on one MongoDB-protocol server', () => {
  const database = `live_two_${randomUUID().slice(0, 8)}`;
  let dataDir: string;
  let a: ApiProcess;
  let b: ApiProcess;

  beforeAll(async () => {
    const uri = process.env.MONGODB_URI;
    if (!uri) throw new Error('MONGODB_URI is not set: start FerretDB (npm test does)');
    dataDir = mkdtempSync(join(tmpdir(), 'live-two-'));
    const env = { DATA_DIR: dataDir, MONGODB_URI: uri, MONGODB_DATABASE: database };
    a = await startApiProcess(env);
    b = await startApiProcess(env);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropStackDatabase({ MONGODB_URI: process.env.MONGODB_URI!, MONGODB_DATABASE: database });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a client of one instance sees an edit made through the other", async () => {
    const token = (role: 'owner' | 'integration') => mintToken({ sub: `${role}-1`, workspace: 'acme', role }, TEST_SECRET, '1h');
    const call = async (base: string, method: string, path: string, role: 'owner' | 'integration', body?: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${await token(role)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return (await response.json()) as any;
    };
    const registered = await call(a.baseUrl, 'POST', '/v1/channel-contacts', 'integration', { channel: 'telegram', channelContactId: 'two-processes', name: 'Ann' });
    await call(b.baseUrl, 'GET', `/v1/contacts/${registered.contactId}?minPosition=${registered.position}`, 'owner');

    const client = await SseClient.open(`${b.baseUrl}/v1/live/contacts?ids=${registered.contactId}`, { authorization: `Bearer ${await token('owner')}` });
    const edited = await call(a.baseUrl, 'PATCH', `/v1/contacts/${registered.contactId}`, 'owner', { name: 'Ann Through A' });
    await client.until(() => client.messages.some((message) => message.event === 'contact'), 10_000);
    const message = client.messages.find((candidate) => candidate.event === 'contact')!;
    expect(message.id).toBe(String(edited.position));
    expect(JSON.parse(message.data).fields.name.value).toBe('Ann Through A');
    await client.close();
  }, 60_000);
});
