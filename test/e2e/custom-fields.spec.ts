import { randomUUID } from 'node:crypto';
import type { ApiHarness } from '../support/api-harness.js';
import { expectNothingWritten, E2E_STACKS as STACKS, startStack } from '../support/stacks.js';

describe.each(STACKS)('custom fields over HTTP on %s', (_, envOf) => {
  let api: ApiHarness;
  let stop: () => Promise<void>;
  let integration: string;
  let owner: string;
  let manager: string;
  let contactId: string;

  beforeAll(async () => {
    ({ api, stop } = await startStack(envOf()));
    integration = await api.token('integration');
    owner = await api.token('owner');
    manager = await api.token('manager');
    const define = (body: object) => api.request('POST', '/v1/custom-fields', { token: manager, body });
    expect((await define({ name: 'level', label: 'Loyalty level', type: 'single_choice', options: ['bronze', 'silver', 'gold'] })).status).toBe(201);
    expect((await define({ name: 'visits', label: 'Visits', type: 'number' })).status).toBe(201);
    expect((await define({ name: 'notes', label: 'Notes', type: 'text', visibleToCustomer: true })).status).toBe(201);
    expect((await define({ name: 'home', label: 'Home', type: 'location' })).status).toBe(201);
    expect((await define({ name: 'birthday', label: 'Birthday', type: 'date' })).status).toBe(201);
    const { body } = await api.request('POST', '/v1/channel-contacts', { token: integration, body: { channel: 'telegram', channelContactId: randomUUID(), name: 'Carla Custom' } });
    contactId = body.contactId;
  });
  afterAll(() => stop());

  const get = (path: string, token = owner) => api.request('GET', path, { token });
  const patch = (body: object, token = owner, headers: Record<string, string> = {}) => api.request('PATCH', `/v1/contacts/${contactId}`, { token, body, headers });

  it('defines fields (201) and lists them for every role', async () => {
    const created = await api.request('POST', '/v1/custom-fields', { token: owner, body: { name: 'shoe_size', label: 'Shoe size', type: 'word' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'shoe_size', label: 'Shoe size', type: 'word', options: null, visibleToCustomer: false, version: expect.any(Number), position: expect.any(Number) });
    const agent = await api.token('agent');
    const list = await get('/v1/custom-fields', agent);
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { name: string }) => item.name)).toEqual(['level', 'visits', 'notes', 'home', 'birthday', 'shoe_size']);
    expect(list.body.items[0]).toEqual({ name: 'level', label: 'Loyalty level', type: 'single_choice', options: ['bronze', 'silver', 'gold'], visibleToCustomer: false });
  });

  it('refuses bad definitions and writes nothing', async () => {
    const define = (body: object, token = owner) => api.request('POST', '/v1/custom-fields', { token, body });
    const bad = await expectNothingWritten(api, () => define({ name: 'Bad Name', label: 'x', type: 'colour' }), 422);
    expect(bad.errors.map((e: { field: string }) => e.field)).toEqual(['name', 'type']);
    expect((await expectNothingWritten(api, () => define({ name: 'tier', label: 'Tier', type: 'single_choice', options: [] }), 422)).errors[0].field).toBe('options');
    await expectNothingWritten(api, () => define({ name: 'level', label: 'Again', type: 'text' }), 409);
    await expectNothingWritten(api, () => define({ name: 'x', label: 'x', type: 'text', colour: 1 }), 400);
    await expectNothingWritten(api, () => define({ name: 'x', label: 'x', type: 'text', visibleToCustomer: 'yes' }), 400);
    await expectNothingWritten(api, () => define({ name: 'by_agent', label: 'x', type: 'text' }, 'agent' as never), 401);
    await expectNothingWritten(api, async () => define({ name: 'by_agent', label: 'x', type: 'text' }, await api.token('agent')), 403);
  });

  it('sets, shows, searches, audits and clears values through PATCH', async () => {
    const edited = await patch({ name: 'Carla Vip', customFields: { level: 'Gold', visits: 3, notes: 'prefers mornings', home: { lat: 48.85, lng: 2.29 } } });
    expect(edited.status).toBe(200);
    expect(edited.body.customFields).toEqual({ level: 'gold', visits: 3, notes: 'prefers mornings', home: { lat: 48.85, lng: 2.29 } });
    expect(edited.body.fields.name.value).toBe('Carla Vip');

    const view = await get(`/v1/contacts/${contactId}?minPosition=${edited.body.position}`);
    expect(view.body.customFields).toEqual(edited.body.customFields);
    expect((await get('/v1/contacts?q=mornings')).body.items.map((item: { id: string }) => item.id)).toEqual([contactId]);
    expect((await get('/v1/contacts?q=gold')).body.items.map((item: { id: string }) => item.id)).toEqual([contactId]);

    const size = await api.logSize();
    expect((await patch({ customFields: { level: 'gold' } })).status).toBe(200);
    expect(await api.logSize()).toBe(size);

    const cleared = await patch({ customFields: { visits: null } });
    expect(cleared.body.customFields).not.toHaveProperty('visits');
    const history = await get(`/v1/contacts/${contactId}/history?field=customFields.visits&minPosition=${cleared.body.position}`);
    expect(history.body.map((entry: { from: unknown; to: unknown; eventType: string }) => [entry.eventType, entry.from, entry.to])).toEqual([
      ['CustomFieldValueSet', null, 3],
      ['CustomFieldValueCleared', 3, null],
    ]);
    const levels = await get(`/v1/contacts/${contactId}/history?field=customFields.level`);
    expect(levels.body[0]).toMatchObject({ from: null, to: 'gold', actor: { id: 'owner-1', role: 'owner' }, source: 'agent' });
  });

  it('refuses unknown fields and bad values with 422 at customFields.<name>, writing nothing, not even the valid fields beside them', async () => {
    const bad = await expectNothingWritten(api, () => patch({ name: 'Carla New', customFields: { visits: 'three', birthday: '2023-02-30', shoe: 42 } }), 422);
    expect(bad.errors).toEqual([
      { field: 'customFields.visits', message: expect.stringContaining('Enter a number') },
      { field: 'customFields.birthday', message: expect.stringContaining('YYYY-MM-DD') },
      { field: 'customFields.shoe', message: expect.stringContaining('Unknown custom field') },
    ]);
    await expectNothingWritten(api, () => patch({ customFields: 'level=gold' }), 400);
    await expectNothingWritten(api, async () => patch({ customFields: { level: 'gold' } }, await api.token('agent', { sub: 'agent-no-permission' })), 403);
    await expectNothingWritten(api, async () => patch({ customFields: { level: 'silver' } }, await api.token('owner', { workspace: 'elsewhere' })), 404);
    await expectNothingWritten(api, () => patch({ customFields: { level: 'silver' } }, owner, { 'if-match': '1' }), 409);
  });

  it('archives a searchable field: its values are found no more', async () => {
    expect((await api.request('POST', '/v1/custom-fields', { token: manager, body: { name: 'motto', label: 'Motto', type: 'text' } })).status).toBe(201);
    const set = await patch({ customFields: { motto: 'Carpediem always' } });
    const found = (position: number) => get(`/v1/contacts?q=carpediem&minPosition=${position}`).then(({ body }) => body.items.map((item: { id: string }) => item.id));
    expect(await found(set.body.position)).toEqual([contactId]);
    const archived = await api.request('DELETE', '/v1/custom-fields/motto', { token: manager });
    expect(archived.status).toBe(200);
    expect(await found(archived.body.position)).toEqual([]);
    expect((await get(`/v1/contacts?q=carla&minPosition=${archived.body.position}`)).body.items.map((item: { id: string }) => item.id)).toContain(contactId);
  });

  it('archives a field: it leaves views and the list, stays in history, and its name stays taken', async () => {
    const set = await patch({ customFields: { birthday: '1990-05-17' } });
    expect(set.body.customFields.birthday).toBe('1990-05-17');
    const archived = await api.request('DELETE', '/v1/custom-fields/birthday', { token: manager });
    expect(archived).toMatchObject({ status: 200, body: { name: 'birthday', archived: true } });
    const view = await get(`/v1/contacts/${contactId}?minPosition=${archived.body.position}`);
    expect(view.body.customFields).not.toHaveProperty('birthday');
    expect((await get('/v1/custom-fields')).body.items.map((item: { name: string }) => item.name)).not.toContain('birthday');
    expect((await get(`/v1/contacts/${contactId}/history?field=customFields.birthday`)).body).toHaveLength(1);
    await expectNothingWritten(api, () => patch({ customFields: { birthday: '1990-05-18' } }), 422);
    await expectNothingWritten(api, () => api.request('POST', '/v1/custom-fields', { token: owner, body: { name: 'birthday', label: 'B', type: 'date' } }), 409);
    expect((await patch({ name: 'Carla Again' })).body.customFields).not.toHaveProperty('birthday');
    await expectNothingWritten(api, () => api.request('DELETE', '/v1/custom-fields/nonexistent', { token: manager }), 404);
  });
});
