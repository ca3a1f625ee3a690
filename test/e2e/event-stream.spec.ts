import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { SseClient } from '../support/sse-client.js';
import { dropStackDatabase, E2E_STACKS } from '../support/stacks.js';

type PublishedEvent = { id: string; type: string; schemaVersion: number; streamId: string; revision: number; position: number; occurredAt: string; metadata: any; data: any };

describe.each(E2E_STACKS)('GET /v1/events on %s', (_, envOf) => {
  let api: ApiHarness;
  let env: Record<string, string>;
  let integration: string;
  let owner: string;
  let foreignOwner: string;

  beforeAll(async () => {
    env = envOf();
    api = await startApi(env);
    integration = await api.token('integration');
    owner = await api.token('owner');
    foreignOwner = await api.token('owner', { workspace: 'globex' });
    for (let i = 0; i < 6; i++) {
      const { body } = await api.request('POST', '/v1/channel-contacts', { token: integration, body: { channel: 'telegram', channelContactId: `stream-${i}`, name: `Person ${i}` } });
      await api.request('PATCH', `/v1/contacts/${body.contactId}`, { token: owner, body: { name: `Edited ${i}` } });
    }
    const globex = await api.token('integration', { workspace: 'globex' });
    await api.request('POST', '/v1/channel-contacts', { token: globex, body: { channel: 'telegram', channelContactId: 'foreign', name: 'Foreign' } });
  });
  afterAll(async () => {
    await api.close();
    await dropStackDatabase(env);
  });

  const ndjson = async (query: string, token = owner): Promise<PublishedEvent[]> => {
    const response = await api.fetch(`${api.baseUrl}/v1/events${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    return (await response.text()).split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
  };

  it("answers the workspace's events only, in log order, with the published envelope, ending at the head", async () => {
    const events = await ndjson('?from=0');
    expect(events.length).toBe(6 * 3);
    expect(events.every((event) => event.metadata.workspace === 'acme')).toBe(true);
    const positions = events.map((event) => event.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
    const edit = events.find((event) => event.type === 'ContactFieldEdited')!;
    expect(edit).toEqual({
      id: expect.any(String),
      type: 'ContactFieldEdited',
      schemaVersion: 1,
      streamId: expect.stringMatching(/^contact-/),
      revision: 2,
      position: expect.any(Number),
      occurredAt: edit.metadata.occurredAt,
      metadata: expect.objectContaining({ workspace: 'acme', actor: { id: 'owner-1', role: 'owner' }, source: 'agent' }),
      data: expect.objectContaining({ field: 'name' }),
    });
    const foreign = await ndjson('?from=0', foreignOwner);
    expect(foreign.map((event) => event.metadata.workspace)).toEqual(['globex', 'globex']);
  });

  it('gives events strictly after `from`, filtered by `types`, at most `limit`', async () => {
    const all = await ndjson('');
    const after = all[4]!.position;
    expect((await ndjson(`?from=${after}`)).map((event) => event.id)).toEqual(all.slice(5).map((event) => event.id));
    const edits = await ndjson('?types=ContactFieldEdited,ContactRegistered');
    expect(new Set(edits.map((event) => event.type))).toEqual(new Set(['ContactFieldEdited', 'ContactRegistered']));
    expect(edits).toHaveLength(12);
    expect(await ndjson('?limit=2')).toHaveLength(2);
  });

  it('lets a consumer stopped half way resume from its last position: every event exactly once, in order', async () => {
    const all = (await ndjson('?from=0')).map((event) => event.id);
    const received: string[] = [];
    let from = 0;
    for (;;) {
      const page = await ndjson(`?from=${from}&limit=5`);
      if (page.length === 0) break;
      received.push(...page.map((event) => event.id));
      from = page.at(-1)!.position;
    }
    expect(received).toEqual(all);
  });

  it('refuses agents (403), bad parameters (400) and no token (401)', async () => {
    expect((await api.request('GET', '/v1/events', { token: await api.token('agent') })).status).toBe(403);
    expect((await api.request('GET', '/v1/events?from=-1', { token: owner })).status).toBe(400);
    expect((await api.request('GET', '/v1/events?types=no%20such', { token: owner })).status).toBe(400);
    expect((await api.request('GET', '/v1/events?follow=maybe', { token: owner })).status).toBe(400);
    expect((await api.request('GET', '/v1/events')).status).toBe(401);
  });

  it('follows live as SSE with id = position, and resumes after Last-Event-ID without a gap', async () => {
    const url = `${api.baseUrl}/v1/events?follow=true&types=ContactFieldEdited`;
    const first = await SseClient.open(url, { authorization: `Bearer ${owner}` });
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/event-stream/);
    await first.until(() => first.messages.length === 6);
    const contactId = JSON.parse(first.messages[0]!.data).streamId.slice('contact-'.length);

    const edited = await api.request('PATCH', `/v1/contacts/${contactId}`, { token: owner, body: { name: 'Live One' } });
    await first.until(() => first.messages.length === 7);
    const live = JSON.parse(first.messages[6]!.data) as PublishedEvent;
    expect(live).toMatchObject({ type: 'ContactFieldEdited', position: edited.body.position, data: { field: 'name' } });
    expect(first.messages[6]!.id).toBe(String(edited.body.position));
    const lastSeen = first.messages[6]!.id!;
    await first.close();

    await api.request('PATCH', `/v1/contacts/${contactId}`, { token: owner, body: { name: 'While Away' } });
    const resumed = await SseClient.open(url, { authorization: `Bearer ${owner}`, 'last-event-id': lastSeen });
    await resumed.until(() => resumed.messages.length === 1);
    expect(JSON.parse(resumed.messages[0]!.data).position).toBeGreaterThan(Number(lastSeen));
    await api.request('PATCH', `/v1/contacts/${contactId}`, { token: owner, body: { name: 'Back Again' } });
    await resumed.until(() => resumed.messages.length === 2);
    expect(resumed.messages.map((message) => JSON.parse(message.data).data.personal?.value ?? JSON.parse(message.data).data.field)).toHaveLength(2);
    await resumed.close();
  });
});

const BULK_EVENTS = 12_000;

describe('GET /v1/events with a slow reader (embedded)', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi({ RUN_PROJECTIONS: 'false' });
    const log = SqliteEventStore.open(join(api.config.dataDir, 'events.sqlite'));
    const padding = 'x'.repeat(1000);
    for (let batch = 0; batch < BULK_EVENTS / 1000; batch++) {
      await log.appendToStream(
        `bulk-${batch}`,
        Array.from({ length: 1000 }, (_, i) => ({
          id: randomUUID(),
          type: 'BulkLoaded',
          data: { i, padding },
          metadata: { workspace: 'acme', schemaVersion: 1, occurredAt: new Date().toISOString() },
        })),
      );
    }
    await log.close();
  }, 60_000);
  afterAll(() => api.close());

  it("makes the server wait on the socket: what it holds for the reader stays flat while the reader is slow", async () => {
    const sockets = new Set<Socket>();
    api.httpServer().on('connection', (socket: Socket) => sockets.add(socket));
    const response = await fetch(`${api.baseUrl}/v1/events`, { headers: { authorization: `Bearer ${await api.token('integration')}` } });
    const reader = response.body!.getReader();
    let held = 0;
    const sampler = setInterval(() => {
      for (const socket of sockets) held = Math.max(held, socket.writableLength);
    }, 5);
    let bytes = 0;
    let lines = 0;
    let unpaced = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      unpaced += value.byteLength;
      for (const byte of value) if (byte === 10) lines++;
      // About 3 MB/s: several times slower than the server reads the log and writes.
      if (unpaced >= 32 * 1024) {
        unpaced = 0;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    clearInterval(sampler);
    expect(lines).toBe(BULK_EVENTS);
    expect(bytes).toBeGreaterThan(BULK_EVENTS * 1000);
    // Writing without waiting would pile most of the 15 MB up in the socket's buffer; waiting keeps about one write there.
    expect(held).toBeLessThan(256 * 1024);
  }, 60_000);
});
