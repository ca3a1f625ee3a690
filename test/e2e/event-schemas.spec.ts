import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { EVENT_SCHEMAS } from '../../apps/shared/event-log.js';
import type { ApiHarness } from '../support/api-harness.js';
import { E2E_STACKS, startStack } from '../support/stacks.js';

type Json = Record<string, any>;

/** Compiles every published schema into one validator per `type@version`: they must compile together. */
function validatorsOf(document: Record<string, Record<string, Json>>): Map<string, ValidateFunction> {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  const validators = new Map<string, ValidateFunction>();
  for (const [type, versions] of Object.entries(document)) {
    for (const [version, schema] of Object.entries(versions)) validators.set(`${type}@${version}`, ajv.compile(schema));
  }
  return validators;
}

describe.each(E2E_STACKS)('GET /v1/event-schemas on %s', (_, envOf) => {
  let api: ApiHarness;
  let stop: () => Promise<void>;
  let owner: string;
  let integration: string;

  beforeAll(async () => {
    ({ api, stop } = await startStack(envOf()));
    owner = await api.token('owner');
    integration = await api.token('integration');
  });
  afterAll(() => stop());

  const call = async (method: string, path: string, body?: unknown, token = owner) => {
    const response = await api.request(method, path, { token, ...(body !== undefined ? { body } : {}) });
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  };

  it('answers every role the same document: every event type the service writes, with a schema per version', async () => {
    const answers = await Promise.all(
      (['owner', 'manager', 'agent', 'integration'] as const).map(async (role) => api.request('GET', '/v1/event-schemas', { token: await api.token(role) })),
    );
    expect(answers.map(({ status }) => status)).toEqual([200, 200, 200, 200]);
    expect(answers.every(({ body }) => JSON.stringify(body) === JSON.stringify(answers[0]!.body))).toBe(true);
    const document = answers[0]!.body as Record<string, Record<string, Json>>;
    const expected = Object.fromEntries(EVENT_SCHEMAS.dataSchemas().map(({ type, versions }) => [type, versions.map(({ version }) => String(version))]));
    expect(Object.fromEntries(Object.entries(document).map(([type, versions]) => [type, Object.keys(versions)]))).toEqual(expected);
    expect(document.ContactFieldEdited!['1']).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'ContactFieldEdited v1',
      properties: { type: { const: 'ContactFieldEdited' }, schemaVersion: { const: 1 } },
    });
    // Each schema has an example, and its examples are valid events of it.
    const validators = validatorsOf(document);
    const problems = Object.entries(document).flatMap(([type, versions]) =>
      Object.entries(versions).flatMap(([version, schema]) => {
        const validate = validators.get(`${type}@${version}`)!;
        if (!schema.examples?.length) return [`${type} v${version}: no example`];
        return (schema.examples as unknown[]).filter((example) => !validate(example)).map(() => `${type} v${version}: ${JSON.stringify(validate.errors)}`);
      }),
    );
    expect(problems).toEqual([]);
  });

  it('needs a token', async () => {
    expect((await api.request('GET', '/v1/event-schemas')).status).toBe(401);
  });

  it('describes every event the service writes through the API, erased ones included: each validates against its schema', async () => {
    // A workload that writes every event type there is.
    const phone = '+442079460500';
    const ann = (await call('POST', '/v1/channel-contacts', { channel: 'whatsapp', channelContactId: phone, name: 'ann', email: 'ann@example.com', avatarUrl: 'https://example.com/ann.png' }, integration)).contactId;
    await call('POST', '/v1/channel-contacts', { channel: 'whatsapp', channelContactId: phone, name: 'ann lee', avatarUrl: null }, integration);
    const tg = (await call('POST', '/v1/channel-contacts', { channel: 'telegram', channelContactId: 'tg-ann', phone }, integration)).contactId;
    const mail = (await call('POST', '/v1/channel-contacts', { channel: 'sms', channelContactId: phone, phone }, integration)).contactId;
    await call('PUT', '/v1/permissions/contact-editing', { agentIds: ['agent-1'], allowed: true });
    await call('PUT', '/v1/permissions/contact-editing', { agentIds: ['agent-1'], allowed: false });
    await call('POST', '/v1/custom-fields', { name: 'loyalty', label: 'Loyalty', type: 'single_choice', options: ['gold', 'silver'] });
    await call('POST', '/v1/custom-fields', { name: 'seen_at', label: 'Seen at', type: 'location', visibleToCustomer: true });
    await call('PATCH', `/v1/contacts/${ann}`, { name: 'Ann Lee', email: null, customFields: { loyalty: 'gold', seen_at: { lat: 51.5, lng: -0.1 } } });
    await call('PATCH', `/v1/contacts/${ann}`, { customFields: { loyalty: null } });
    await call('DELETE', '/v1/custom-fields/loyalty');
    await call('POST', `/v1/contacts/${ann}/restore-from-channel`, { fields: ['email'] });
    await call('POST', `/v1/contacts/${ann}/tags`, { tag: 'VIP' });
    await call('DELETE', `/v1/contacts/${ann}/tags/vip`);
    await call('POST', `/v1/contacts/${ann}/block`);
    await call('POST', `/v1/contacts/${ann}/unblock`);
    const link = await call('POST', `/v1/contacts/${ann}/self-service-links`, {});
    await call('DELETE', `/v1/contacts/${ann}/self-service-links/${link.token}`);
    const profile = await call('POST', '/v1/profiles', { name: 'Ann Lee', contactIds: [ann] });
    await call('PATCH', `/v1/profiles/${profile.profileId}`, { name: 'Ann Lee-Smith' });
    const note = await call('POST', `/v1/profiles/${profile.profileId}/notes`, { text: 'Prefers e-mail' });
    await call('PATCH', `/v1/profiles/${profile.profileId}/notes/${note.noteId}`, { text: 'Prefers e-mail after 6 pm' });
    await call('DELETE', `/v1/profiles/${profile.profileId}/notes/${note.noteId}`);
    await call('DELETE', `/v1/profiles/${profile.profileId}/contacts/${ann}`);
    await call('POST', `/v1/profiles/${profile.profileId}/archive`);
    const { position } = await call('POST', '/v1/channel-contacts', { channel: 'sms', channelContactId: phone, name: 'Ann' }, integration);
    const suggestions = (await call('GET', `/v1/merge-suggestions?minPosition=${position}&limit=100`)).items as Array<{ id: string; contactIds: string[] }>;
    const pair = (a: string, b: string) => suggestions.find(({ contactIds }) => contactIds.includes(a) && contactIds.includes(b))!;
    await call('POST', `/v1/merge-suggestions/${pair(tg, mail).id}/dismiss`);
    await call('POST', `/v1/merge-suggestions/${pair(ann, tg).id}/accept`);
    await call('DELETE', `/v1/contacts/${mail}`);

    const document = (await call('GET', '/v1/event-schemas')) as Record<string, Record<string, Json>>;
    const validators = validatorsOf(document);
    const response = await api.fetch(`${api.baseUrl}/v1/events?from=0`, { headers: { authorization: `Bearer ${owner}` } });
    const events = (await response.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Json);
    const outside = events.flatMap((event) => {
      const label = `${event.type} v${event.schemaVersion}`;
      const validate = validators.get(`${event.type}@${event.schemaVersion}`);
      if (!validate) return [`${label}: no schema`];
      return validate(event) ? [] : [`${label}: ${JSON.stringify(validate.errors)}`];
    });
    expect(outside).toEqual([]);
    expect(events.some((event) => event.metadata.personalDataErased === true)).toBe(true);
    expect([...new Set(events.map((event) => event.type))].sort()).toEqual(Object.keys(document).sort());
  });
});
