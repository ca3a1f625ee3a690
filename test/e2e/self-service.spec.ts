import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store.js';
import type { ApiHarness } from '../support/api-harness.js';
import { E2E_STACKS, expectNothingWritten, startStack } from '../support/stacks.js';

describe.each(E2E_STACKS)('customer self-service links over HTTP on %s', (_, envOf) => {
  let api: ApiHarness;
  let stop: () => Promise<void>;
  let integration: string;
  let owner: string;
  let agent: string;

  beforeAll(async () => {
    ({ api, stop } = await startStack(envOf()));
    integration = await api.token('integration');
    owner = await api.token('owner');
    agent = await api.token('agent', { sub: 'agent-without-editing-permission' });
    const define = (body: object) => api.request('POST', '/v1/custom-fields', { token: owner, body });
    expect((await define({ name: 'colour', label: 'Favourite colour', type: 'single_choice', options: ['Red', 'Blue'], visibleToCustomer: true })).status).toBe(201);
    expect((await define({ name: 'score', label: 'Internal score', type: 'number' })).status).toBe(201);
  });
  afterAll(() => stop());

  async function newContact(): Promise<string> {
    const phone = `+1555${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
    const { status, body } = await api.request('POST', '/v1/channel-contacts', { token: integration, body: { channel: 'whatsapp', channelContactId: phone, name: 'Cust Omer' } });
    expect(status).toBe(201);
    return body.contactId;
  }
  const link = (contactId: string, body: object = {}, token = agent) => api.request('POST', `/v1/contacts/${contactId}/self-service-links`, { token, body });
  const customer = (method: string, token: string, body?: object) => api.request(method, `/v1/self-service/${token}`, body === undefined ? {} : { body });

  it('issues a link (any agent, 24 h by default) with which the customer reads and edits their own data, recorded as the customer', async () => {
    const id = await newContact();
    const issued = await link(id);
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ token: expect.stringMatching(new RegExp(`^${id}\\.`)), url: expect.stringContaining(`/v1/self-service/${issued.body.token}`) });
    const hours = (Date.parse(issued.body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    const week = await link(id, { expiresInHours: 168 }, integration);
    expect(week.status).toBe(201);

    const view = await customer('GET', issued.body.token);
    expect(view.status).toBe(200);
    expect(view.body).toEqual({
      contactId: id,
      fields: { name: { value: 'Cust Omer', locked: false }, phone: { value: expect.any(String), locked: true }, email: { value: null, locked: false } },
      customFields: { colour: { label: 'Favourite colour', type: 'single_choice', options: ['Red', 'Blue'], value: null } },
      expiresAt: issued.body.expiresAt,
    });

    const edited = await customer('PATCH', issued.body.token, { name: 'Customer Own Name', email: 'me@mail.example.com', customFields: { colour: 'blue' } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ fields: { name: { value: 'Customer Own Name' }, email: { value: 'me@mail.example.com' } }, customFields: { colour: { value: 'Blue' } } });
    const history = await api.request('GET', `/v1/contacts/${id}/history?field=name&minPosition=${await api.logSize()}`, { token: owner });
    expect(history.body.at(-1)).toMatchObject({ source: 'customer', actor: { role: 'customer' }, from: 'Cust Omer', to: 'Customer Own Name' });
  });

  it('refuses what the customer may not do, and requests for links that are not right, writing nothing', async () => {
    const id = await newContact();
    const { body } = await link(id);
    await expectNothingWritten(api, () => customer('PATCH', body.token, { phone: '+1 555 000 1111' }), 403);
    const hidden = await expectNothingWritten(api, () => customer('PATCH', body.token, { customFields: { score: 5 } }), 403);
    expect(hidden.errors).toEqual([{ field: 'customFields.score', message: expect.any(String) }]);
    await expectNothingWritten(api, () => customer('PATCH', body.token, { country: 'US' }), 400);
    await expectNothingWritten(api, () => customer('PATCH', body.token, { email: 'not an address' }), 422);
    await expectNothingWritten(api, () => customer('PATCH', body.token, { customFields: { colour: 'Green' } }), 422);

    const forged = `${id}.${randomBytes(24).toString('base64url')}`;
    const foreignContact = `${randomUUID()}.${body.token.split('.')[1]}`;
    for (const token of [forged, foreignContact, 'not-a-token']) {
      expect((await customer('GET', token)).status).toBe(404);
      await expectNothingWritten(api, () => customer('PATCH', token, { name: 'Forger Name' }), 404);
    }

    const foreignOwner = await api.token('owner', { workspace: `other-${randomUUID().slice(0, 6)}` });
    await expectNothingWritten(api, () => link(id, {}, foreignOwner), 404);
    await expectNothingWritten(api, () => link(randomUUID()), 404);
    await expectNothingWritten(api, () => link(id, { expiresInHours: 169 }), 400);
    await expectNothingWritten(api, () => link(id, { expiresInHours: 0 }), 400);
    await expectNothingWritten(api, () => link(id, { colour: 'red' }), 400);
    await expectNothingWritten(api, () => api.request('DELETE', `/v1/contacts/${id}/self-service-links/${body.token}`, { token: foreignOwner }), 404);
  });

  it('a revoked or expired link answers 404 and writes nothing', async () => {
    const id = await newContact();
    const { body } = await link(id);
    const revoked = await api.request('DELETE', `/v1/contacts/${id}/self-service-links/${body.token}`, { token: owner });
    expect(revoked.status).toBe(204);
    expect((await customer('GET', body.token)).status).toBe(404);
    await expectNothingWritten(api, () => customer('PATCH', body.token, { name: 'Too Late' }), 404);

    // An expired link, written into the log as the API writes one (its expiry in the past).
    const secret = randomBytes(24).toString('base64url');
    const log = SqliteEventStore.open(join(api.config.dataDir, 'events.sqlite'));
    try {
      const [first] = await log.readStream(`contact-${id}`, { maxCount: 1 });
      await log.appendToStream(`contact-${id}`, [
        {
          id: randomUUID(),
          type: 'SelfServiceLinkIssued',
          data: { linkId: createHash('sha256').update(secret).digest('hex'), expiresAt: new Date(Date.now() - 1000).toISOString() },
          metadata: { ...first!.metadata, actor: { id: 'agent-1', role: 'agent' }, source: 'agent', occurredAt: new Date(Date.now() - 3_600_000).toISOString() },
        },
      ]);
    } finally {
      await log.close();
    }
    expect((await customer('GET', `${id}.${secret}`)).status).toBe(404);
    await expectNothingWritten(api, () => customer('PATCH', `${id}.${secret}`, { name: 'Expired Person' }), 404);
  });
});
