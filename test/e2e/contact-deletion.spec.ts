import { randomInt, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { MongoClient } from 'mongodb';
import { replayCommand } from '../../apps/cli/replay.command.js';
import type { ApiHarness } from '../support/api-harness.js';
import { TEST_SECRET } from '../support/api-harness.js';
import { E2E_STACKS, expectNothingWritten, startStack } from '../support/stacks.js';

const letters = (length: number) => Array.from({ length }, () => String.fromCharCode(97 + randomInt(26))).join('');

/** Every file under the folder, with its bytes (the SQLite files, their WAL, the secrets…). */
function filesUnder(dir: string): Array<{ path: string; bytes: Buffer }> {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, bytes: readFileSync(path) }];
  });
}

/** Every document of every collection of the stack's MongoDB databases (read models and keys), as JSON. */
async function mongoDocumentsOf(env: Record<string, string>): Promise<string[]> {
  const client = await MongoClient.connect(env.MONGODB_URI!);
  try {
    const documents: string[] = [];
    for (const database of [env.MONGODB_DATABASE!, `${env.MONGODB_DATABASE}_keys`]) {
      const db = client.db(database);
      for (const { name } of await db.listCollections().toArray()) {
        for (const document of await db.collection(name).find({}).toArray()) documents.push(JSON.stringify(document));
      }
    }
    return documents;
  } finally {
    await client.close();
  }
}

describe.each(E2E_STACKS)('deletion with crypto-shredding over HTTP on %s', (_, envOf) => {
  let env: Record<string, string>;
  let api: ApiHarness;
  let stop: () => Promise<void>;
  let integration: string;
  let owner: string;

  beforeAll(async () => {
    env = envOf();
    ({ api, stop } = await startStack(env));
    integration = await api.token('integration');
    owner = await api.token('owner');
    const defined = await api.request('POST', '/v1/custom-fields', { token: owner, body: { name: 'secret_note', label: 'Secret note', type: 'text' } });
    expect(defined.status).toBe(201);
  });
  afterAll(() => stop());

  const get = (path: string, token = owner) => api.request('GET', path, { token });
  /** Waits (bounded) until every projection has applied the log up to `position`. */
  async function projectedUpTo(position: number): Promise<void> {
    for (let attempt = 0; attempt < 8; attempt++) {
      if ((await get(`/v1/tags?minPosition=${position}`)).headers.get('x-read-consistency') !== 'stale') return;
    }
    throw new Error(`the projections did not reach position ${position}`);
  }
  const ids = (response: { body: { items: Array<{ id: string }> } }) => response.body.items.map((item) => item.id);

  it('erases the contact everywhere: read models, history values, the log, replays, files and collections; the identity starts afresh', async () => {
    const word = letters(10);
    const digits = String(randomInt(10_000, 99_999));
    const plain = {
      name: `Shredda ${word}`,
      edited: `Erased ${letters(10)}`,
      phone: `+4477009${digits}`,
      email: `shred.${word}@mail.example.com`,
      note: `note ${letters(12)}`,
      tag: `tag${letters(8)}`,
    };
    const reported = await api.request('POST', '/v1/channel-contacts', {
      token: integration,
      body: { channel: 'whatsapp', channelContactId: `+44 7700 9${digits}`, name: plain.name, email: plain.email },
    });
    expect(reported.status).toBe(201);
    const id = reported.body.contactId;
    await api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { name: plain.edited, customFields: { secret_note: plain.note } } });
    await api.request('POST', `/v1/contacts/${id}/tags`, { token: owner, body: { tag: plain.tag } });
    const blocked = await api.request('POST', `/v1/contacts/${id}/block`, { token: owner });
    expect(blocked.body).toMatchObject({ blocked: true, tags: [plain.tag], customFields: { secret_note: plain.note } });
    expect(ids(await get(`/v1/contacts?q=${encodeURIComponent(plain.email)}&minPosition=${blocked.body.position}`))).toEqual([id]);
    const beforeDeletion = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));

    // Refused deletions write nothing.
    await expectNothingWritten(api, async () => api.request('DELETE', `/v1/contacts/${id}`, { token: await api.token('agent') }), 403);
    await expectNothingWritten(api, () => api.request('DELETE', `/v1/contacts/${id}`, { token: integration }), 403);
    await expectNothingWritten(api, async () => api.request('DELETE', `/v1/contacts/${id}`, { token: await api.token('owner', { workspace: 'elsewhere' }) }), 404);
    await expectNothingWritten(api, () => api.request('DELETE', `/v1/contacts/${id}`, { token: owner, headers: { 'if-match': '2' } }), 409);
    await expectNothingWritten(api, () => api.request('DELETE', `/v1/contacts/${randomUUID()}`, { token: owner }), 404);

    const deletion = await api.request('DELETE', `/v1/contacts/${id}`, { token: await api.token('manager') });
    expect(deletion.status).toBe(204);
    expect(deletion.body).toBe('');
    await expectNothingWritten(api, () => api.request('DELETE', `/v1/contacts/${id}`, { token: owner }), 404);
    await expectNothingWritten(api, () => api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { name: 'Back Again' } }), 404);
    const head = await api.logSize(); // positions are 1, 2, 3… on a fresh SQLite log

    // Read models: gone from views, search and tag counts; the history keeps who, when, which field.
    await projectedUpTo(head);
    expect((await get(`/v1/contacts/${id}`)).status).toBe(404);
    for (const q of [word, digits, plain.email, 'erased']) expect(ids(await get(`/v1/contacts?q=${encodeURIComponent(q)}`))).not.toContain(id);
    expect(ids(await get(`/v1/contacts?tag=${plain.tag}`))).toEqual([]);
    expect((await get(`/v1/tags?prefix=${plain.tag}`)).body.items).toEqual([{ name: plain.tag, contacts: 0 }]);
    const history = await get(`/v1/contacts/${id}/history`);
    expect(history.status).toBe(200);
    const entries = history.body as Array<{ field: string; from: unknown; to: unknown; erased?: boolean; eventType: string; actor: { id: string } }>;
    expect(entries.map((entry) => entry.field)).toEqual(expect.arrayContaining(['name', 'email', 'phone', 'customFields.secret_note', 'tags', 'blocked', 'contact']));
    for (const entry of entries.filter((e) => e.eventType !== 'ContactDeleted')) expect(entry).toMatchObject({ from: null, to: null, erased: true });
    expect(entries.at(-1)).toMatchObject({ field: 'contact', eventType: 'ContactDeleted', actor: { id: 'manager-1' } });

    // The log's own readers: the past view, and the replay for auditors, show erased values.
    const past = await get(`/v1/contacts/${id}?asOf=${encodeURIComponent(beforeDeletion)}`);
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ id, blocked: true, channelContactId: null, fields: { name: { value: null }, email: { value: null } } });
    expect((await get(`/v1/contacts/${id}?asOf=${encodeURIComponent(new Date().toISOString())}`)).status).toBe(404);
    const lines: string[] = [];
    const stdout = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    await replayCommand([id], { ...env, DATA_DIR: api.config.dataDir, AUTH_JWT_SECRET: TEST_SECRET }, stdout);
    const replayed = lines.join('').trim().split('\n').map((line) => JSON.parse(line));
    expect(replayed.at(-1)).toMatchObject({ type: 'ContactDeleted' });
    expect(replayed.find((event) => event.type === 'ContactFieldEdited')).toMatchObject({ data: { field: 'name', personal: { value: null } }, metadata: { personalDataErased: true } });

    // No plain value anywhere: every file under DATA_DIR, every MongoDB collection, the replay.
    const values = [plain.name, word, plain.edited, plain.phone, `4477009${digits}`, plain.email, plain.note];
    for (const { path, bytes } of filesUnder(api.config.dataDir)) {
      for (const value of values) expect({ path, value, found: bytes.includes(Buffer.from(value)) }).toEqual({ path, value, found: false });
    }
    if (env.MONGODB_URI) {
      const documents = (await mongoDocumentsOf(env)).join('\n');
      expect(documents.length).toBeGreaterThan(0);
      for (const value of values) expect({ value, found: documents.includes(value) }).toEqual({ value, found: false });
    }
    for (const value of values) expect(lines.join('')).not.toContain(value);

    // The channel reports the same identity again: a new contact, with none of the old values.
    const again = await api.request('POST', '/v1/channel-contacts', { token: integration, body: { channel: 'whatsapp', channelContactId: plain.phone, name: 'Newcomer' } });
    expect(again.status).toBe(201);
    expect(again.body.contactId).not.toBe(id);
    const fresh = await get(`/v1/contacts/${again.body.contactId}?minPosition=${again.body.position}`);
    expect(fresh.body).toMatchObject({ fields: { name: { value: 'Newcomer', edited: false }, email: { value: null } }, tags: [], customFields: {}, blocked: false, version: 2 });
    expect((await get(`/v1/contacts/${id}`)).status).toBe(404);
  });
});
