import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { EVENT_SCHEMAS } from '../../apps/shared/event-log.js';
import type { ApiHarness } from '../support/api-harness.js';
import { E2E_STACKS, startStack } from '../support/stacks.js';
import { writeEveryEventType } from '../support/every-event-workload.js';

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

  beforeAll(async () => {
    ({ api, stop } = await startStack(envOf()));
    owner = await api.token('owner');
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
    await writeEveryEventType(api);

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
