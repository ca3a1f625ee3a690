import { SignJWT } from 'jose';
import { startApi, TEST_SECRET, type ApiHarness } from '../support/api-harness.js';

describe('contact commands over HTTP (embedded SQLite log)', () => {
  let api: ApiHarness;
  let integration: string;
  let owner: string;

  beforeAll(async () => {
    api = await startApi();
    integration = await api.token('integration');
    owner = await api.token('owner');
  });
  afterAll(() => api.close());

  const report = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    api.request('POST', '/v1/channel-contacts', { token: integration, body, headers });

  async function newWhatsappContact(name = 'ann'): Promise<string> {
    const phone = `+1555${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
    const { status, body } = await report({ channel: 'whatsapp', channelContactId: phone, name });
    expect(status).toBe(201);
    return body.contactId;
  }

  /** Runs the request and proves it appended nothing to the log. */
  async function expectNothingWritten(run: () => Promise<{ status: number; body: any }>, status: number) {
    const before = await api.logSize();
    const response = await run();
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
    expect(await api.logSize()).toBe(before);
    return response.body;
  }

  it('serves /health without a token', async () => {
    expect(await api.request('GET', '/health')).toMatchObject({
      status: 200,
      body: { status: 'ok', logHead: expect.any(Number), projections: { 'contact-views': expect.any(Number) } },
    });
  });

  it('serves the OpenAPI document at /docs-json and the UI at /docs', async () => {
    const json = await api.request('GET', '/docs-json');
    expect(json.status).toBe(200);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining(['/v1/channel-contacts', '/v1/contacts/{id}', '/v1/contacts/{id}/restore-from-channel']),
    );
    const ui = await api.request('GET', '/docs');
    expect(ui.status).toBe(200);
    expect(ui.body).toContain('swagger');
  });

  describe('POST /v1/channel-contacts', () => {
    it('creates the contact on first sight (201) and records channel values after (200)', async () => {
      const first = await report({ channel: 'whatsapp', channelContactId: '+1 (555) 100-0001', name: 'ann' });
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ contactId: expect.any(String), version: 2, position: expect.any(Number) });

      const again = await report({ channel: 'whatsapp', channelContactId: '15551000001', name: 'Ann L' });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ contactId: first.body.contactId, version: 3 });
      expect(again.body.position).toBeGreaterThan(first.body.position);

      const unchanged = await report({ channel: 'whatsapp', channelContactId: '+15551000001', name: 'Ann L' });
      expect(unchanged.body).toMatchObject({ contactId: first.body.contactId, version: 3, position: again.body.position });

      const view = await api.request('GET', `/v1/contacts/${first.body.contactId}`, { token: owner });
      expect(view.body.fields.phone).toEqual({ value: '+15551000001', channelValue: '+15551000001', edited: false, locked: true });
      expect(view.body.fields.name).toMatchObject({ value: 'Ann L', channelValue: 'Ann L', edited: false });
    });

    it('is for channel connectors only', async () => {
      await expectNothingWritten(() => api.request('POST', '/v1/channel-contacts', { token: owner, body: { channel: 'email', channelContactId: 'x@y.zz' } }), 403);
    });

    it('refuses an unknown channel, a missing id and unknown properties with 400', async () => {
      const body = await expectNothingWritten(() => report({ channel: 'fax', channelContactId: '', color: 'red' }), 400);
      expect(body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['channel', 'channelContactId', 'color']));
    });
  });

  describe('PATCH /v1/contacts/:id', () => {
    it('edits fields, marks them edited by whom, and a later channel value does not override them', async () => {
      const id = await newWhatsappContact('ann');
      const edit = await api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { name: 'Ann Lee', email: 'Ann@Example.COM', country: 'gb' } });
      expect(edit.status).toBe(200);
      expect(edit.body.fields.name).toEqual({
        value: 'Ann Lee', channelValue: 'ann', edited: true, editedBy: 'owner-1', editedAt: expect.any(String), locked: false,
      });
      expect(edit.body.fields.email.value).toBe('Ann@example.com');
      expect(edit.body.fields.country.value).toBe('GB');
      expect(edit.body).toMatchObject({ version: 5, position: expect.any(Number) });
      expect(edit.headers.get('etag')).toBe('"5"');

      const view = await api.request('GET', `/v1/contacts/${id}`, { token: owner });
      await report({ channel: 'whatsapp', channelContactId: view.body.channelContactId, name: 'annie' });
      const after = await api.request('GET', `/v1/contacts/${id}`, { token: owner });
      expect(after.body.fields.name).toMatchObject({ value: 'Ann Lee', channelValue: 'annie', edited: true });
    });

    it('clears a field with null or "" and writes nothing when nothing changes', async () => {
      const id = await newWhatsappContact('ann');
      await api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { email: 'a@bb.cc', language: 'en' } });
      const cleared = await api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { email: null, language: '' } });
      expect(cleared.body.fields.email).toMatchObject({ value: null, edited: true });
      expect(cleared.body.fields.language).toMatchObject({ value: null, edited: true });

      const before = await api.logSize();
      const same = await api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { email: null, name: 'ann' } });
      expect(same.status).toBe(200);
      expect(same.body.version).toBe(cleared.body.version);
      expect(await api.logSize()).toBe(before);
    });

    it('refuses the whole edit with per-field formatting tips when one value is bad (422)', async () => {
      const id = await newWhatsappContact();
      const body = await expectNothingWritten(
        () => api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { name: '12', email: 'ann@x', country: 'ZZ', language: 'Ann Lee' } }),
        422,
      );
      expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['country', 'email', 'language', 'name']);
      expect(body.errors.every((e: { message: string }) => e.message.length > 10)).toBe(true);
    });

    it('refuses to edit a locked field (403): the phone of a WhatsApp contact', async () => {
      const id = await newWhatsappContact();
      const body = await expectNothingWritten(() => api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { phone: '+44 20 7946 0958' } }), 403);
      expect(body.errors).toEqual([{ field: 'phone', message: expect.any(String) }]);
    });

    it('lets a Telegram contact have its phone edited, normalised to E.164', async () => {
      const { body } = await report({ channel: 'telegram', channelContactId: `tg-${Date.now()}`, name: 'Tom' });
      const edit = await api.request('PATCH', `/v1/contacts/${body.contactId}`, { token: owner, body: { phone: '(020) 7946-0958'.replace('(020)', '+44 20') } });
      expect(edit.status).toBe(200);
      expect(edit.body.fields.phone).toMatchObject({ value: '+442079460958', edited: true, locked: false });
    });

    it.each([
      ['unknown properties', { nickname: 'x' }],
      ['wrong types', { name: 42 }],
      ['an array body', [1]],
    ])('answers 400 for %s and writes nothing', async (_, payload) => {
      const id = await newWhatsappContact();
      const body = await expectNothingWritten(() => api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: payload }), 400);
      expect(body.errors?.length ?? 0).toBeGreaterThan(0);
    });

    it('answers 400 for malformed JSON, 413 for a body over 64 KiB, 415 for another media type', async () => {
      const id = await newWhatsappContact();
      const path = `/v1/contacts/${id}`;
      const json = { 'content-type': 'application/json' };
      await expectNothingWritten(() => api.request('PATCH', path, { token: owner, rawBody: '{"name": ', headers: json }), 400);
      await expectNothingWritten(() => api.request('PATCH', path, { token: owner, body: { name: 'a'.repeat(70 * 1024) } }), 413);
      await expectNothingWritten(() => api.request('PATCH', path, { token: owner, rawBody: '<name/>', headers: { 'content-type': 'application/xml' } }), 415);
    });

    it('answers 404 for an unknown contact', async () => {
      await expectNothingWritten(() => api.request('PATCH', '/v1/contacts/00000000-0000-4000-8000-000000000000', { token: owner, body: { name: 'Ann' } }), 404);
    });

    it('applies If-Match: the current version passes, a stale one is a 409, a malformed one a 400', async () => {
      const id = await newWhatsappContact();
      const ok = await api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { name: 'First' }, headers: { 'if-match': '"2"' } });
      expect(ok.status).toBe(200);
      const body = await expectNothingWritten(
        () => api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { name: 'Second' }, headers: { 'if-match': '2' } }),
        409,
      );
      expect(body.message).toContain('3');
      await expectNothingWritten(() => api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { name: 'Third' }, headers: { 'if-match': 'soon' } }), 400);
    });

    it('answers a retry with the same Idempotency-Key with the first result and writes nothing new', async () => {
      const id = await newWhatsappContact();
      const send = (name: string) => api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { name }, headers: { 'idempotency-key': `edit-${id}` } });
      const first = await send('Retried Name');
      const before = await api.logSize();
      const retry = await send('Retried Name');
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      expect(await api.logSize()).toBe(before);

      await api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { name: 'Later Name' } });
      const lateRetry = await send('Retried Name');
      expect(lateRetry.body.version).toBe(first.body.version);
      expect(lateRetry.body.fields.name.value).toBe('Retried Name');
    });

    it('answers a connector retry with the same Idempotency-Key with 201 again', async () => {
      const body = { channel: 'viber', channelContactId: '+15557770001', name: 'Vi' };
      const first = await report(body, { 'idempotency-key': 'viber-1' });
      const retry = await report(body, { 'idempotency-key': 'viber-1' });
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
    });

    it('loses no update when many writers edit one contact at once', async () => {
      const id = await newWhatsappContact();
      const writers = Array.from({ length: 12 }, (_, i) =>
        api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: i % 2 ? { name: `Writer ${i}` } : { email: `w${i}@example.com` } }),
      );
      const results = await Promise.all(writers);
      expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
      const versions = results.map((r) => r.body.version);
      expect(new Set(versions).size).toBe(12);
      const view = await api.request('GET', `/v1/contacts/${id}`, { token: owner });
      expect(view.body.version).toBe(2 + 12);
    });
  });

  describe('POST /v1/contacts/:id/restore-from-channel', () => {
    it('drops the edited values of the fields given, or of all', async () => {
      const id = await newWhatsappContact('ann');
      await api.request('PATCH', `/v1/contacts/${id}`, { token: owner, body: { name: 'Ann Lee', email: 'ann@example.com' } });
      const some = await api.request('POST', `/v1/contacts/${id}/restore-from-channel`, { token: owner, body: { fields: ['name'] } });
      expect(some.status).toBe(200);
      expect(some.body.fields.name).toEqual({ value: 'ann', channelValue: 'ann', edited: false, locked: false });
      expect(some.body.fields.email).toMatchObject({ value: 'ann@example.com', edited: true });

      const all = await api.request('POST', `/v1/contacts/${id}/restore-from-channel`, { token: owner, body: {} });
      expect(all.body.fields.email).toEqual({ value: null, channelValue: null, edited: false, locked: false });
    });

    it('refuses unknown field names with 422', async () => {
      const id = await newWhatsappContact();
      await expectNothingWritten(() => api.request('POST', `/v1/contacts/${id}/restore-from-channel`, { token: owner, body: { fields: ['shoeSize'] } }), 422);
    });
  });

  describe('permissions', () => {
    it('lets an agent edit only once a manager granted it, and not after it was withdrawn', async () => {
      const id = await newWhatsappContact();
      const agent = await api.token('agent', { sub: 'agent-7' });
      const manager = await api.token('manager');
      await expectNothingWritten(() => api.request('PATCH', `/v1/contacts/${id}`, { token: agent, body: { name: 'By Agent' } }), 403);

      const grant = await api.request('PUT', '/v1/permissions/contact-editing', { token: manager, body: { agentIds: ['agent-7', 'agent-8'], allowed: true } });
      expect(grant.body.agentIds).toEqual(['agent-7', 'agent-8']);
      const edit = await api.request('PATCH', `/v1/contacts/${id}`, { token: agent, body: { name: 'By Agent' } });
      expect(edit.body.fields.name).toMatchObject({ value: 'By Agent', editedBy: 'agent-7' });

      await api.request('PUT', '/v1/permissions/contact-editing', { token: manager, body: { agentIds: ['agent-7'], allowed: false } });
      await expectNothingWritten(() => api.request('PATCH', `/v1/contacts/${id}`, { token: agent, body: { name: 'Again' } }), 403);
      await expectNothingWritten(() => api.request('PUT', '/v1/permissions/contact-editing', { token: agent, body: { agentIds: ['agent-7'], allowed: true } }), 403);
    });

    it('does not let a connector edit', async () => {
      const id = await newWhatsappContact();
      await expectNothingWritten(() => api.request('PATCH', `/v1/contacts/${id}`, { token: integration, body: { name: 'Bot' } }), 403);
    });
  });

  describe('tokens', () => {
    let id: string;
    beforeAll(async () => {
      id = await newWhatsappContact();
    });
    const patch = (token?: string) => () => api.request('PATCH', `/v1/contacts/${id}`, { ...(token ? { token } : {}), body: { name: 'Mallory' } });

    it('answers 401 without a token, and for forged, expired, unsigned or incomplete ones', async () => {
      await expectNothingWritten(patch(), 401);
      await expectNothingWritten(patch(await api.token('owner', { secret: 'another-secret-another-secret-xx' })), 401);
      await expectNothingWritten(patch(await api.token('owner', { expiresIn: Math.floor(Date.now() / 1000) - 60 })), 401);
      const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', workspace: 'acme', role: 'owner' })).toString('base64url')}.`;
      await expectNothingWritten(patch(unsigned), 401);
      const noRole = await new SignJWT({ workspace: 'acme' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(new TextEncoder().encode(TEST_SECRET));
      await expectNothingWritten(patch(noRole), 401);
      await expectNothingWritten(patch('not-a-jwt'), 401);
    });

    it("treats another workspace's contact as not existing (404) for reads and writes", async () => {
      const foreign = await api.token('owner', { workspace: 'globex' });
      await expectNothingWritten(patch(foreign), 404);
      await expectNothingWritten(() => api.request('GET', `/v1/contacts/${id}`, { token: foreign }), 404);
      await expectNothingWritten(() => api.request('POST', `/v1/contacts/${id}/restore-from-channel`, { token: foreign, body: {} }), 404);
    });
  });

  it('keeps the data across a restart', async () => {
    const id = await newWhatsappContact('Persisted');
    await api.restart();
    const view = await api.request('GET', `/v1/contacts/${id}`, { token: owner });
    expect(view.status).toBe(200);
    expect(view.body.fields.name.value).toBe('Persisted');
  });
});
