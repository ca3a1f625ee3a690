import { randomUUID } from 'node:crypto';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { dropStackDatabase, E2E_STACKS } from '../support/stacks.js';

describe.each(E2E_STACKS)('the read loop over HTTP on %s', (_, envOf) => {
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
    await dropStackDatabase(env);
  });

  const get = (path: string, token = owner) => api.request('GET', path, { token });

  it('register, edit, restore, then read the view, search, history and the past', async () => {
    const registered = await api.request('POST', '/v1/channel-contacts', {
      token: integration,
      body: { channel: 'whatsapp', channelContactId: '+44 20 7946 0001', name: 'Zed', email: 'ann.lee@mail.example.com' },
    });
    expect(registered.status).toBe(201);
    const id = registered.body.contactId;

    const beforeEdit = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const edited = await api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { name: 'Annabel Lee', country: 'GB' } });
    expect(edited.status).toBe(200);

    const view = await get(`/v1/contacts/${id}?minPosition=${edited.body.position}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ id, version: edited.body.version, fields: { name: { value: 'Annabel Lee', channelValue: 'Zed', edited: true } } });
    expect(Object.keys(view.body.fields).sort()).toEqual(['avatarUrl', 'country', 'document', 'email', 'language', 'name', 'phone']);

    const byNewName = await get(`/v1/contacts?q=annabel&minPosition=${edited.body.position}`);
    expect(byNewName.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
    expect(byNewName.body.items[0].fields.name.value).toBe('Annabel Lee');
    expect((await get('/v1/contacts?q=zed')).body.items).toHaveLength(0);
    for (const phone of ['+442079460001', '020 7946 0001'.replace('020', '20'), '7946-0001', '(20) 7946.0001']) {
      expect((await get(`/v1/contacts?q=${encodeURIComponent(phone)}`)).body.items.map((item: { id: string }) => item.id)).toEqual([id]);
    }
    expect((await get('/v1/contacts?q=mail.example.com')).body.items).toHaveLength(1);
    expect((await get('/v1/contacts?q=ann.lee')).body.items).toHaveLength(1);

    const restored = await api.request('POST', `/v1/contacts/${id}/restore-from-channel`, { token: owner, body: { fields: ['name'] } });
    const afterRestore = await get(`/v1/contacts?q=annabel&minPosition=${restored.body.position}`);
    expect(afterRestore.body.items).toHaveLength(0);
    expect((await get('/v1/contacts?q=zed')).body.items.map((item: { id: string }) => item.id)).toEqual([id]);

    const history = await get(`/v1/contacts/${id}/history?minPosition=${restored.body.position}`);
    expect(history.status).toBe(200);
    const nameChanges = history.body.filter((entry: { field: string }) => entry.field === 'name');
    expect(nameChanges.map((entry: { from: string | null; to: string | null; source: string }) => [entry.source, entry.from, entry.to])).toEqual([
      ['channel', null, 'Zed'],
      ['agent', 'Zed', 'Annabel Lee'],
      ['agent', 'Annabel Lee', 'Zed'],
    ]);
    expect(nameChanges[1]).toMatchObject({ actor: { id: 'owner-1', role: 'owner' }, eventType: 'ContactFieldEdited', eventId: expect.any(String), position: expect.any(Number), at: expect.any(String) });

    const past = await get(`/v1/contacts/${id}?asOf=${encodeURIComponent(beforeEdit)}`);
    expect(past.status).toBe(200);
    expect(past.body.fields.name).toMatchObject({ value: 'Zed', edited: false });
    expect(past.body.version).toBe(registered.body.version);
    expect((await get(`/v1/contacts/${id}?asOf=2000-01-01T00:00:00Z`)).status).toBe(404);
  });

  it('shows any past moment of a contact whose stream spans several snapshots (asOf)', async () => {
    const registered = await api.request('POST', '/v1/channel-contacts', { token: integration, body: { channel: 'whatsapp', channelContactId: `+44 20 7946 ${Date.now() % 10_000}`, name: 'Zed' } });
    const id = registered.body.contactId;
    const moments: Array<{ at: string; name: string; version: number }> = [];
    for (let edit = 1; edit <= 250; edit++) {
      const edited = await api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { name: `Name ${edit}` } });
      expect(edited.status).toBe(200);
      if ([1, 99, 100, 101, 150, 201, 250].includes(edit)) {
        moments.push({ at: new Date().toISOString(), name: `Name ${edit}`, version: edited.body.version });
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
    }
    for (const { at, name, version } of moments) {
      const past = await get(`/v1/contacts/${id}?asOf=${encodeURIComponent(at)}`);
      expect([past.status, past.body.fields?.name?.value, past.body.version]).toEqual([200, name, version]);
    }
  });

  it('pages through search results with a cursor, each contact once', async () => {
    const tag = `page${randomUUID().slice(0, 6)}`;
    const ids: string[] = [];
    let position = 0;
    for (let i = 0; i < 7; i++) {
      const { body } = await api.request('POST', '/v1/channel-contacts', { token: integration, body: { channel: 'telegram', channelContactId: `${tag}-${i}`, name: `${tag} Person ${i}` } });
      ids.push(body.contactId);
      position = body.position;
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await get(
        `/v1/contacts?q=${tag}&limit=3&minPosition=${position}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('answers a read whose minPosition is never reached after 5 s, marked stale', async () => {
    const response = await get('/v1/contacts?q=anyone&minPosition=999999999');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-read-consistency')).toBe('stale');
  });

  it('refuses bad query parameters with 400 and hides other workspaces', async () => {
    expect((await get('/v1/contacts?limit=0')).status).toBe(400);
    expect((await get('/v1/contacts?limit=abc')).status).toBe(400);
    expect((await get('/v1/contacts?cursor=%24%24')).status).toBe(400);
    expect((await get('/v1/contacts?colour=red')).status).toBe(400);
    expect((await get('/v1/contacts/00000000-0000-4000-8000-000000000000?asOf=yesterday')).status).toBe(400);

    const { body } = await api.request('POST', '/v1/channel-contacts', { token: integration, body: { channel: 'webchat', channelContactId: 'visitor-secret', name: 'Secretive Visitor' } });
    const foreign = await api.token('owner', { workspace: 'globex' });
    await get(`/v1/contacts?q=secretive&minPosition=${body.position}`);
    expect((await get('/v1/contacts?q=secretive', foreign)).body.items).toHaveLength(0);
    expect((await get(`/v1/contacts/${body.contactId}`, foreign)).status).toBe(404);
    expect((await get(`/v1/contacts/${body.contactId}/history`, foreign)).status).toBe(404);
  });
});
