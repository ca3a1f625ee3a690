import { randomUUID } from 'node:crypto';
import { createContactProfilesClient, type ContactProfilesClient } from '../../libs/client/index.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { dropStackDatabase, E2E_STACKS } from '../support/stacks.js';

/** An agent app and a connector written against libs/client, the typed client generated from the OpenAPI document. */
describe.each(E2E_STACKS)('an agent app through libs/client on %s', (_, envOf) => {
  let api: ApiHarness;
  let env: Record<string, string>;
  let connector: ContactProfilesClient;
  let agentApp: ContactProfilesClient;

  beforeAll(async () => {
    env = envOf();
    api = await startApi(env);
    const clientOf = async (role: 'integration' | 'owner', sub: string) =>
      createContactProfilesClient({ baseUrl: api.baseUrl, token: await api.token(role, { sub }), fetch: (request) => api.fetch(request) });
    connector = await clientOf('integration', 'whatsapp-connector');
    agentApp = await clientOf('owner', 'owner-ann');
  });
  afterAll(async () => {
    await api.close();
    await dropStackDatabase(env);
  });

  it('reports, reads, edits with If-Match, is refused on a stale version, searches and reads the history', async () => {
    const phone = `+4420794${Math.floor(10_000 + Math.random() * 89_999)}`;
    const reported = await connector.POST('/v1/channel-contacts', { body: { channel: 'whatsapp', channelContactId: phone, name: 'zed' } });
    expect(reported.response.status).toBe(201);
    const contactId = reported.data!.contactId;

    const read = await agentApp.GET('/v1/contacts/{id}', { params: { path: { id: contactId }, query: { minPosition: reported.data!.position } } });
    expect(read.data?.fields.phone).toMatchObject({ value: phone, locked: true });
    expect(read.response.headers.get('etag')).toBe(`"${read.data!.version}"`);

    const edited = await agentApp.PATCH('/v1/contacts/{id}', {
      params: { path: { id: contactId }, header: { 'If-Match': read.response.headers.get('etag')! } },
      body: { name: 'Zed Adams', email: 'zed@example.com' },
    });
    expect(edited.data).toMatchObject({ fields: { name: { value: 'Zed Adams', edited: true, editedBy: 'owner-ann' } }, version: read.data!.version + 2 });

    const stale = await agentApp.PATCH('/v1/contacts/{id}', {
      params: { path: { id: contactId }, header: { 'If-Match': String(read.data!.version) } },
      body: { name: 'Someone Else' },
    });
    expect(stale.response.status).toBe(409);
    expect(stale.error).toMatchObject({ statusCode: 409, error: 'Conflict' });

    const invalid = await agentApp.PATCH('/v1/contacts/{id}', { params: { path: { id: contactId } }, body: { email: 'not-an-email' } });
    expect(invalid.response.status).toBe(422);
    expect(invalid.error?.errors?.map((error) => error.field)).toEqual(['email']);

    const found = await agentApp.GET('/v1/contacts', { params: { query: { q: 'zed adams', minPosition: edited.data!.position } } });
    expect(found.data?.items.map((item) => item.id)).toEqual([contactId]);

    const history = await agentApp.GET('/v1/contacts/{id}/history', { params: { path: { id: contactId }, query: { minPosition: edited.data!.position } } });
    expect(history.data?.filter((entry) => entry.field === 'name').map((entry) => [entry.actor.id, entry.from, entry.to])).toEqual([
      ['whatsapp-connector', null, 'zed'],
      ['owner-ann', 'zed', 'Zed Adams'],
    ]);

    const restored = await agentApp.POST('/v1/contacts/{id}/restore-from-channel', { params: { path: { id: contactId } }, body: { fields: ['name'] } });
    expect(restored.data?.fields.name).toMatchObject({ value: 'zed', edited: false });
  });

  it("shows the country of the phone's calling code as derived until someone gives one, and keeps a document number", async () => {
    const reported = await connector.POST('/v1/channel-contacts', { body: { channel: 'whatsapp', channelContactId: `+55 11 9${Math.floor(1e7 + Math.random() * 8e7)}` } });
    const id = reported.data!.contactId;
    const read = await agentApp.GET('/v1/contacts/{id}', { params: { path: { id }, query: { minPosition: reported.data!.position } } });
    expect(read.data?.fields.country).toEqual({ value: 'BR', channelValue: null, edited: false, locked: false, derived: true });

    const edited = await agentApp.PATCH('/v1/contacts/{id}', { params: { path: { id } }, body: { document: ' 123.456.789-09 ', country: 'PT' } });
    expect(edited.data?.fields.document).toMatchObject({ value: '123.456.789-09', edited: true, editedBy: 'owner-ann' });
    expect(edited.data?.fields.country).toMatchObject({ value: 'PT', edited: true });
    expect(edited.data?.fields.country.derived).toBeUndefined();

    const tooLong = await agentApp.PATCH('/v1/contacts/{id}', { params: { path: { id } }, body: { document: '9'.repeat(65) } });
    expect(tooLong.response.status).toBe(422);
    expect(tooLong.error?.errors).toEqual([{ field: 'document', message: expect.stringContaining('at most 64 characters') }]);

    const restored = await agentApp.POST('/v1/contacts/{id}/restore-from-channel', { params: { path: { id } }, body: { fields: ['country'] } });
    expect(restored.data?.fields.country).toMatchObject({ value: 'BR', derived: true });

    const history = await agentApp.GET('/v1/contacts/{id}/history', { params: { path: { id }, query: { field: 'document', minPosition: restored.data!.position } } });
    expect(history.data?.map((entry) => [entry.field, entry.from, entry.to])).toEqual([['document', null, '123.456.789-09']]);
  });

  it('gets typed errors: 401 without a valid token, 403 for a role that may not, 404 for an unknown contact', async () => {
    const anonymous = createContactProfilesClient({ baseUrl: api.baseUrl, token: 'not-a-jwt', fetch: (request) => api.fetch(request) });
    const unauthorized = await anonymous.GET('/v1/contacts', {});
    expect(unauthorized.response.status).toBe(401);
    expect(unauthorized.error?.message).toEqual(expect.any(String));

    const forbidden = await agentApp.POST('/v1/channel-contacts', { body: { channel: 'email', channelContactId: 'x@example.com' } });
    expect(forbidden.response.status).toBe(403);

    const missing = await agentApp.GET('/v1/contacts/{id}', { params: { path: { id: randomUUID() } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.statusCode).toBe(404);
  });
});
