import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { startApi, type ApiHarness } from '../support/api-harness.js';

const stacks: Array<[string, () => Record<string, string>]> = [
  ['embedded (SQLite + in-memory read models)', () => ({})],
  ['SQLite + MongoDB protocol (FerretDB)', () => ({ MONGODB_URI: mongoUri(), MONGODB_DATABASE: `e2e_${randomUUID().slice(0, 8)}` })],
];

function mongoUri(): string {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: start FerretDB (npm test does) to run the MongoDB stack');
  return uri;
}

describe.each(stacks)('profiles over HTTP on %s', (_, envOf) => {
  let api: ApiHarness;
  let env: Record<string, string>;
  let integration: string;
  let owner: string;

  beforeAll(async () => {
    env = envOf();
    api = await startApi(env);
    integration = await api.token('integration');
    owner = await api.token('owner');
  });
  afterAll(async () => {
    await api.close();
    if (env.MONGODB_URI) {
      const client = await MongoClient.connect(env.MONGODB_URI);
      await client.db(env.MONGODB_DATABASE).dropDatabase();
      await client.close();
    }
  });

  const get = (path: string, token = owner) => api.request('GET', path, { token });
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, token = owner) =>
    api.request(method, path, { token, ...(body !== undefined ? { body } : {}), headers });

  async function contact(channel: string, channelContactId: string, values: Record<string, string> = {}): Promise<string> {
    const { status, body } = await api.request('POST', '/v1/channel-contacts', { token: integration, body: { channel, channelContactId, ...values } });
    expect([200, 201]).toContain(status);
    return body.contactId;
  }

  let seq = 0;
  const phone = () => `+4420794610${String(seq++).padStart(2, '0')}`;

  async function profile(name = 'Ann Lee', contactIds?: string[]): Promise<{ profileId: string; version: number; position: number }> {
    const created = await send('POST', '/v1/profiles', { name, ...(contactIds ? { contactIds } : {}) });
    expect(created.status).toBe(201);
    return created.body;
  }

  async function expectNothingWritten(run: () => Promise<{ status: number; body: any }>, status: number) {
    const before = await api.logSize();
    const response = await run();
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
    expect(await api.logSize()).toBe(before);
    return response.body;
  }

  it('creates a profile with contacts attached, and both sides show the link', async () => {
    const whatsapp = await contact('whatsapp', phone(), { name: 'Ann' });
    const email = await contact('email', `ann.${seq}@mail.example.com`, { name: 'Ann Lee' });
    const created = await profile('Ann Lee', [whatsapp, email]);
    expect(created).toEqual({ profileId: expect.any(String), version: 1, position: expect.any(Number) });

    const view = await get(`/v1/profiles/${created.profileId}?minPosition=${created.position}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ id: created.profileId, name: 'Ann Lee', notes: [], version: 1, updatedAt: expect.any(String) });
    expect(view.body.contacts.map((c: { id: string }) => c.id).sort()).toEqual([whatsapp, email].sort());
    expect(view.body.contacts.every((c: { profileId: string }) => c.profileId === created.profileId)).toBe(true);
    expect((await get(`/v1/contacts/${whatsapp}`)).body.profileId).toBe(created.profileId);
  });

  it('attaches, moves and detaches; the contact view follows and the audit trail records every link and unlink', async () => {
    const id = await contact('telegram', `tg-${randomUUID()}`, { name: 'Bob' });
    const first = await profile('Bob One');
    const second = await profile('Bob Two');

    const attached = await send('POST', `/v1/profiles/${first.profileId}/contacts`, { contactId: id });
    expect(attached.status).toBe(200);
    expect(attached.body).toEqual({ profileId: first.profileId, contactId: id, version: 1, contactVersion: 3, position: expect.any(Number) });
    expect((await get(`/v1/contacts/${id}?minPosition=${attached.body.position}`)).body.profileId).toBe(first.profileId);

    const again = await send('POST', `/v1/profiles/${first.profileId}/contacts`, { contactId: id });
    expect(again.body).toMatchObject({ contactVersion: 3, position: attached.body.position });

    const moved = await send('POST', `/v1/profiles/${second.profileId}/contacts`, { contactId: id });
    expect(moved.body.contactVersion).toBe(5);
    expect((await get(`/v1/contacts/${id}?minPosition=${moved.body.position}`)).body.profileId).toBe(second.profileId);
    expect((await get(`/v1/profiles/${first.profileId}`)).body).toMatchObject({ contacts: [], formerContactIds: [id] });
    expect((await get(`/v1/profiles/${second.profileId}`)).body.contacts.map((c: { id: string }) => c.id)).toEqual([id]);

    const detached = await send('DELETE', `/v1/profiles/${second.profileId}/contacts/${id}`);
    expect(detached.status).toBe(200);
    expect((await get(`/v1/contacts/${id}?minPosition=${detached.body.position}`)).body.profileId).toBeNull();
    expect((await get(`/v1/profiles/${second.profileId}`)).body.contacts).toEqual([]);

    const history = await get(`/v1/contacts/${id}/history?field=profileId`);
    expect(history.body.map((entry: any) => [entry.eventType, entry.from, entry.to])).toEqual([
      ['ProfileAttached', null, first.profileId],
      ['ProfileDetached', first.profileId, null],
      ['ProfileAttached', null, second.profileId],
      ['ProfileDetached', second.profileId, null],
    ]);
    expect(history.body[0]).toMatchObject({ actor: { id: 'owner-1', role: 'owner' }, source: 'agent', field: 'profileId' });

    await expectNothingWritten(() => send('DELETE', `/v1/profiles/${second.profileId}/contacts/${id}`), 404);
  });

  it('concurrent attaches of one contact to two profiles leave exactly one link that every view agrees on (30 runs)', async () => {
    for (let run = 0; run < 30; run++) {
      const id = await contact('webchat', `visitor-${randomUUID()}`, { name: 'Racer' });
      const [a, b] = await Promise.all([profile('Racer A'), profile('Racer B')]);
      const results = await Promise.all([
        send('POST', `/v1/profiles/${a.profileId}/contacts`, { contactId: id }),
        send('POST', `/v1/profiles/${b.profileId}/contacts`, { contactId: id }),
      ]);
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      const position = Math.max(...results.map((r) => r.body.position));
      const view = await get(`/v1/contacts/${id}?minPosition=${position}`);
      expect([a.profileId, b.profileId]).toContain(view.body.profileId);
      const [viewA, viewB] = await Promise.all([get(`/v1/profiles/${a.profileId}`), get(`/v1/profiles/${b.profileId}`)]);
      const linked = [viewA, viewB].filter((p) => p.body.contacts.some((c: { id: string }) => c.id === id));
      expect(linked.map((p) => p.body.id)).toEqual([view.body.profileId]);
      expect(linked[0]!.body.contacts[0].profileId).toBe(view.body.profileId);
    }
  }, 120_000);

  it('renames with If-Match and Idempotency-Key; a stale version is a 409 and writes nothing', async () => {
    const { profileId } = await profile('Carla');
    const renamed = await send('PATCH', `/v1/profiles/${profileId}`, { name: 'Carla Diaz' }, { 'if-match': '1' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ profileId, version: 2 });
    expect(renamed.headers.get('etag')).toBe('"2"');
    await expectNothingWritten(() => send('PATCH', `/v1/profiles/${profileId}`, { name: 'Carla D' }, { 'if-match': '1' }), 409);
    const id = await contact('sms', phone());
    await expectNothingWritten(() => send('POST', `/v1/profiles/${profileId}/contacts`, { contactId: id }, { 'if-match': '1' }), 409);

    const first = await send('PATCH', `/v1/profiles/${profileId}`, { name: 'Carla Z' }, { 'idempotency-key': 'rename-1' });
    await send('PATCH', `/v1/profiles/${profileId}`, { name: 'Carla Y' });
    const size = await api.logSize();
    const retry = await send('PATCH', `/v1/profiles/${profileId}`, { name: 'Carla Z' }, { 'idempotency-key': 'rename-1' });
    expect(retry.body).toEqual(first.body);
    expect(await api.logSize()).toBe(size);

    const createdOnce = await send('POST', '/v1/profiles', { name: 'Dora', contactIds: [id] }, { 'idempotency-key': 'create-dora' });
    const createdAgain = await send('POST', '/v1/profiles', { name: 'Dora', contactIds: [id] }, { 'idempotency-key': 'create-dora' });
    expect(createdAgain.body).toEqual(createdOnce.body);
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    const { profileId } = await profile('Erin');
    const bad = await expectNothingWritten(() => send('POST', '/v1/profiles', { name: '1' }), 422);
    expect(bad.errors).toEqual([{ field: 'name', message: expect.any(String) }]);
    await expectNothingWritten(() => send('POST', '/v1/profiles', { name: 'Erin', colour: 'red' }), 400);
    await expectNothingWritten(() => send('POST', '/v1/profiles', { name: 42 }), 400);
    await expectNothingWritten(() => send('POST', '/v1/profiles', {}), 400);
    await expectNothingWritten(() => api.request('POST', '/v1/profiles', { token: owner, rawBody: '{"name":', headers: { 'content-type': 'application/json' } }), 400);
    const missing = await expectNothingWritten(() => send('POST', '/v1/profiles', { name: 'Erin', contactIds: [randomUUID()] }), 422);
    expect(missing.errors[0].field).toBe('contactIds');
    await expectNothingWritten(() => send('POST', `/v1/profiles/${profileId}/contacts`, { contactId: randomUUID() }), 404);
    await expectNothingWritten(() => send('POST', `/v1/profiles/${randomUUID()}/contacts`, { contactId: randomUUID() }), 404);
    await expectNothingWritten(() => send('PATCH', `/v1/profiles/${randomUUID()}`, { name: 'Nobody' }), 404);
    await expectNothingWritten(() => send('POST', `/v1/profiles/${profileId}/notes`, { text: '   ' }), 422);
    await expectNothingWritten(() => send('POST', `/v1/profiles/${profileId}/notes`, { text: 'x'.repeat(5_001) }), 422);
    await expectNothingWritten(() => send('POST', `/v1/profiles/${profileId}/notes`, { text: 'hi', pinned: true }), 400);
    expect((await get(`/v1/profiles?limit=0`)).status).toBe(400);
    expect((await get(`/v1/profiles/${profileId}/timeline?cursor=%24`)).status).toBe(400);
  });

  it('keeps workspaces apart and checks roles', async () => {
    const { profileId, position } = await profile('Fay Secret');
    const id = await contact('whatsapp', phone());
    const foreign = await api.token('owner', { workspace: 'globex' });
    await get(`/v1/profiles/${profileId}?minPosition=${position}`);
    expect((await get(`/v1/profiles/${profileId}`, foreign)).status).toBe(404);
    expect((await get(`/v1/profiles/${profileId}/timeline`, foreign)).status).toBe(404);
    expect((await get('/v1/profiles?q=secret', foreign)).body.items).toEqual([]);
    await expectNothingWritten(() => send('PATCH', `/v1/profiles/${profileId}`, { name: 'Taken Over' }, {}, foreign), 404);
    await expectNothingWritten(() => send('POST', `/v1/profiles/${profileId}/contacts`, { contactId: id }, {}, foreign), 404);
    const foreignProfile = await send('POST', '/v1/profiles', { name: 'Globex' }, {}, foreign);
    await expectNothingWritten(() => send('POST', `/v1/profiles/${foreignProfile.body.profileId}/contacts`, { contactId: id }, {}, foreign), 404);

    const agent = await api.token('agent', { sub: 'agent-without-permission' });
    await expectNothingWritten(() => send('POST', '/v1/profiles', { name: 'Gus' }, {}, agent), 403);
    await expectNothingWritten(() => send('POST', `/v1/profiles/${profileId}/contacts`, { contactId: id }, {}, agent), 403);
    await expectNothingWritten(() => send('POST', '/v1/profiles', { name: 'Gus' }, {}, integration), 403);
    expect((await get(`/v1/profiles/${profileId}`, agent)).status).toBe(200);
    expect((await api.request('GET', `/v1/profiles/${profileId}`)).status).toBe(401);
  });

  it('adds, edits and deletes notes with author and time', async () => {
    const { profileId } = await profile('Hana');
    const added = await send('POST', `/v1/profiles/${profileId}/notes`, { text: 'Prefers e-mail' });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ noteId: expect.any(String), profileId, version: 2, position: expect.any(Number) });
    const second = await send('POST', `/v1/profiles/${profileId}/notes`, { text: 'VIP since 2024' });
    const edited = await send('PATCH', `/v1/profiles/${profileId}/notes/${added.body.noteId}`, { text: 'Prefers phone' });
    expect(edited.status).toBe(200);
    let view = await get(`/v1/profiles/${profileId}?minPosition=${edited.body.position}`);
    expect(view.body.notes).toEqual([
      { id: added.body.noteId, text: 'Prefers phone', author: 'owner-1', at: expect.any(String), editedAt: expect.any(String) },
      { id: second.body.noteId, text: 'VIP since 2024', author: 'owner-1', at: expect.any(String) },
    ]);
    const deleted = await send('DELETE', `/v1/profiles/${profileId}/notes/${added.body.noteId}`);
    expect(deleted.status).toBe(200);
    view = await get(`/v1/profiles/${profileId}?minPosition=${deleted.body.position}`);
    expect(view.body.notes.map((note: { id: string }) => note.id)).toEqual([second.body.noteId]);
    await expectNothingWritten(() => send('DELETE', `/v1/profiles/${profileId}/notes/${added.body.noteId}`), 404);
  });

  it('archives: the profile refuses new contacts and notes (409) and leaves search', async () => {
    const id = await contact('viber', phone(), { name: 'Ivo Archer' });
    const { profileId } = await profile('Ivo Archived', [id]);
    const archived = await send('POST', `/v1/profiles/${profileId}/archive`);
    expect(archived.status).toBe(200);
    await expectNothingWritten(() => send('POST', `/v1/profiles/${profileId}/notes`, { text: 'late' }), 409);
    const late = await contact('sms', phone());
    await expectNothingWritten(() => send('POST', `/v1/profiles/${profileId}/contacts`, { contactId: late }), 409);
    const view = await get(`/v1/profiles/${profileId}?minPosition=${archived.body.position}`);
    expect(view.body).toMatchObject({ archived: true, contacts: [{ id }] });
    expect((await get('/v1/profiles?q=archived')).body.items).toEqual([]);
    expect((await send('DELETE', `/v1/profiles/${profileId}/contacts/${id}`)).status).toBe(200);
  });

  it("finds profiles by name and by an attached contact's name, phone or e-mail", async () => {
    const number = phone();
    const id = await contact('whatsapp', number, { name: 'Juniper Quill', email: 'jq@searchable.example.com' });
    const { profileId, position } = await profile('Kestrel Household', [id]);
    const idsOf = async (q: string) => (await get(`/v1/profiles?q=${encodeURIComponent(q)}&minPosition=${position}`)).body.items.map((p: { id: string }) => p.id);
    expect(await idsOf('kestrel')).toEqual([profileId]);
    expect(await idsOf('juniper')).toEqual([profileId]);
    expect(await idsOf(number.slice(-7))).toEqual([profileId]);
    expect(await idsOf('jq@searchable.example.com')).toEqual([profileId]);
    const page = await get(`/v1/profiles?q=kestrel`);
    expect(page.body.items[0]).toMatchObject({ id: profileId, name: 'Kestrel Household', contacts: [{ id }] });
    expect(page.body.nextCursor).toBeNull();

    const edited = await send('PATCH', `/v1/contacts/${id}`, { name: 'Wren Quill' });
    expect(await (async () => (await get(`/v1/profiles?q=wren&minPosition=${edited.body.position}`)).body.items.map((p: { id: string }) => p.id))()).toEqual([profileId]);
    const detached = await send('DELETE', `/v1/profiles/${profileId}/contacts/${id}`);
    expect((await get(`/v1/profiles?q=wren&minPosition=${detached.body.position}`)).body.items).toEqual([]);
  });

  it('serves the timeline of the profile and its contacts, newest first, paginated, with summaries', async () => {
    const whatsapp = await contact('whatsapp', phone(), { name: 'Lena' });
    const email = await contact('email', `lena.${seq}@mail.example.com`);
    const { profileId } = await profile('Lena Timeline', [whatsapp]);
    await send('POST', `/v1/profiles/${profileId}/contacts`, { contactId: email });
    await send('PATCH', `/v1/contacts/${email}`, { name: 'Lena M' });
    const note = await send('POST', `/v1/profiles/${profileId}/notes`, { text: 'Called about billing' });

    const all = await get(`/v1/profiles/${profileId}/timeline?limit=100&minPosition=${note.body.position}`);
    expect(all.status).toBe(200);
    const positions = all.body.items.map((item: { position: number }) => item.position);
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
    expect(all.body.items[0]).toMatchObject({ eventType: 'ProfileNoteAdded', actor: { id: 'owner-1', role: 'owner' }, summary: 'owner-1 added a note' });
    expect(all.body.items[0].contactId).toBeUndefined();
    expect(all.body.items.map((item: any) => item.eventType)).toEqual(
      expect.arrayContaining(['ProfileCreated', 'ContactRegistered', 'ChannelDataReceived', 'ProfileAttached', 'ContactFieldEdited']),
    );
    expect(all.body.items.find((item: any) => item.eventType === 'ContactFieldEdited')).toMatchObject({
      contactId: email, at: expect.any(String), summary: 'owner-1 edited the name of the E-mail contact',
    });

    const pages: any[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: any[]; nextCursor: string | null } } = await get(`/v1/profiles/${profileId}/timeline?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual(all.body.items);
  });

  it('documents the profile endpoints with response schemas in OpenAPI', async () => {
    const { body } = await api.request('GET', '/docs-json');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/v1/profiles', '/v1/profiles/{id}', '/v1/profiles/{id}/contacts', '/v1/profiles/{id}/contacts/{contactId}', '/v1/profiles/{id}/notes', '/v1/profiles/{id}/notes/{noteId}', '/v1/profiles/{id}/timeline']),
    );
    expect(body.paths['/v1/profiles/{id}'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ProfileView' });
  });
});
