import fc from 'fast-check';
import { SignJWT } from 'jose';
import { dropStackDatabase, E2E_STACKS } from '../support/stacks.js';
import { startApi, TEST_SECRET, type ApiHarness } from '../support/api-harness.js';

/**
 * Hostile input, property-based, over the contact endpoints: whatever the body, query string or
 * headers, the API never answers 5xx, a refused request writes nothing (the log size is unchanged),
 * unknown properties are always refused, and forged or foreign-workspace tokens and ids never read
 * or write another workspace. Bounded: a fixed number of runs per property, a fixed seed per run
 * printed on failure by fast-check.
 */
const RUNS = 40;
const FIELDS = ['name', 'phone', 'email', 'country', 'language'];
const REPORT_ONLY_FIELDS = ['channel', 'channelContactId', 'avatarUrl'];
const CHANNELS = ['whatsapp', 'viber', 'email', 'telegram', 'webchat', 'sms', 'instagram', 'messenger'];

/** JSON values of any shape, biased towards the names and types the endpoints know. */
const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, '', ' ', 0, -1, 1e308, true, [], {}, '__proto__', 'x'.repeat(70_000).slice(0, 5000), '+1 (555) 000-0000', 'a@b', '\u0000', '<script>'),
);
const knownKey = fc.constantFrom(...FIELDS, 'channel', 'channelContactId', 'fields', 'tag', 'customFields', 'avatarUrl');
const body = fc.oneof(
  fc.dictionary(fc.oneof(knownKey, fc.string({ maxLength: 12 })), jsonValue, { maxKeys: 6 }),
  jsonValue,
);
const printable = (maxLength: number) => fc.string({ maxLength }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));

interface Tally {
  inputs: number;
  serverErrors: number;
  refusedWithWrite: number;
  crossWorkspaceSuccesses: number;
}

describe.each(E2E_STACKS)('hostile input on the contact endpoints — %s', (_name, stackEnv) => {
  const env = stackEnv();
  let api: ApiHarness;
  let integration: string;
  let manager: string;
  let owner: string;
  let foreignManager: string;
  let contactId: string;
  let foreignContactId: string;
  const tally: Tally = { inputs: 0, serverErrors: 0, refusedWithWrite: 0, crossWorkspaceSuccesses: 0 };

  beforeAll(async () => {
    api = await startApi(env);
    integration = await api.token('integration');
    manager = await api.token('manager');
    owner = await api.token('owner');
    foreignManager = await api.token('manager', { workspace: 'globex', sub: 'globex-manager' });
    const foreignIntegration = await api.token('integration', { workspace: 'globex' });
    contactId = (await api.request('POST', '/v1/channel-contacts', { token: integration, body: { channel: 'sms', channelContactId: '+15550100000', name: 'acme ann' } })).body.contactId;
    foreignContactId = (await api.request('POST', '/v1/channel-contacts', { token: foreignIntegration, body: { channel: 'sms', channelContactId: '+15550100001', name: 'globex gus' } })).body.contactId;
  });
  afterAll(async () => {
    // The figures for the issue note.
    console.log(`hostile input (${_name}): ${JSON.stringify(tally)}`);
    await api.close();
    await dropStackDatabase(env);
  });

  /** Sends the request; proves no 5xx and that a refused request wrote nothing. */
  async function attempt(method: string, path: string, options: { token?: string; rawBody?: string; body?: unknown; headers?: Record<string, string> }) {
    const before = await api.logSize();
    let response: { status: number; body: any; headers: Headers };
    try {
      response = await api.request(method, path, options);
    } catch (error) {
      // An answer outside the OpenAPI document (the harness checks each one) is a defect too.
      throw new Error(`${method} ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    tally.inputs++;
    if (response.status >= 500) tally.serverErrors++;
    expect(response.status).toBeLessThan(500);
    if (response.status >= 400) {
      const after = await api.logSize();
      if (after !== before) tally.refusedWithWrite++;
      expect(after).toBe(before);
      expect(response.body).toMatchObject({ statusCode: response.status, error: expect.any(String), message: expect.any(String) });
    }
    return response;
  }

  it('command bodies: no 5xx, a refused body writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('report', 'edit', 'restore', 'tag'), body, async (command, value) => {
        const rawBody = JSON.stringify(value) ?? 'null';
        if (command === 'report') await attempt('POST', '/v1/channel-contacts', { token: integration, rawBody, headers: { 'content-type': 'application/json' } });
        if (command === 'edit') await attempt('PATCH', `/v1/contacts/${contactId}`, { token: manager, rawBody, headers: { 'content-type': 'application/json' } });
        if (command === 'restore') await attempt('POST', `/v1/contacts/${contactId}/restore-from-channel`, { token: manager, rawBody, headers: { 'content-type': 'application/json' } });
        if (command === 'tag') await attempt('POST', `/v1/contacts/${contactId}/tags`, { token: manager, rawBody, headers: { 'content-type': 'application/json' } });
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('malformed bodies (not JSON, wrong content types): 4xx, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(printable(200), fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'), async (rawBody, contentType) => {
        const response = await attempt('PATCH', `/v1/contacts/${contactId}`, { token: manager, rawBody, headers: { 'content-type': contentType } });
        // An empty body is read as no change at all (200, nothing written), whatever its content type.
        if (response.status < 400) expect(() => JSON.parse(rawBody === '' ? '{}' : rawBody)).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });

  it('extra properties are always refused (400), beside valid ones', async () => {
    const known = [...FIELDS, ...REPORT_ONLY_FIELDS, 'customFields', '__proto__'];
    const extraKey = fc.oneof(
      fc.string({ minLength: 1, maxLength: 20 }).filter((key) => !known.includes(key)),
      fc.constantFrom('constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'),
    );
    await fc.assert(
      fc.asyncProperty(extraKey, jsonValue, fc.constantFrom(...FIELDS), fc.constantFrom(...CHANNELS), async (key, value, field, channel) => {
        const edit = await attempt('PATCH', `/v1/contacts/${contactId}`, { token: manager, body: { [field]: null, [key]: value } });
        expect(edit.status).toBe(400);
        const report = await attempt('POST', '/v1/channel-contacts', {
          token: integration,
          body: { channel, channelContactId: '+15550100002', [key]: value },
        });
        expect(report.status).toBe(400);
      }),
      { numRuns: RUNS },
    );
  });

  it('query strings of the search: no 5xx, never another workspace', async () => {
    const query = fc.dictionary(fc.oneof(fc.constantFrom('q', 'tag', 'limit', 'cursor', 'blocked', 'minPosition'), fc.string({ maxLength: 8 })), fc.oneof(fc.string({ maxLength: 40 }), fc.integer().map(String)), { maxKeys: 5 });
    await fc.assert(
      fc.asyncProperty(query, async (parameters) => {
        const response = await attempt('GET', `/v1/contacts?${new URLSearchParams(parameters)}`, { token: manager });
        if (response.status === 200) {
          const ids = (response.body.items as Array<{ id: string }>).map((item) => item.id);
          if (ids.includes(foreignContactId)) tally.crossWorkspaceSuccesses++;
          expect(ids).not.toContain(foreignContactId);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('headers (If-Match, Idempotency-Key, correlation id, Authorization, Accept): no 5xx, refused ones write nothing', async () => {
    const headers = fc.record(
      {
        'if-match': fc.oneof(printable(20), fc.nat().map(String), fc.constant('W/"1"')),
        'idempotency-key': printable(300),
        'x-correlation-id': printable(200),
        authorization: fc.oneof(printable(60), fc.constant(`Bearer ${'a'.repeat(10)}.${'b'.repeat(10)}.c`), fc.constant('Bearer')),
        accept: fc.constantFrom('*/*', 'text/csv', 'application/xml', 'text/event-stream', ''),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(headers, fc.constantFrom(...FIELDS), async (sent, field) => {
        const { authorization, ...rest } = sent;
        const withAuth = authorization === undefined ? { authorization: `Bearer ${manager}`, ...rest } : sent;
        await attempt('PATCH', `/v1/contacts/${contactId}`, { body: { [field]: null }, headers: withAuth as Record<string, string> });
      }),
      { numRuns: RUNS },
    );
  });

  it('forged tokens (wrong key, alg none, edited claims, expired) are refused (401) and write nothing', async () => {
    const unsigned = (claims: Record<string, unknown>) =>
      `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    const forged = fc.oneof(
      fc.record({ workspace: fc.constantFrom('acme', 'globex'), role: fc.constantFrom('owner', 'manager', 'integration', 'root') }).map(
        (claims) => ({ kind: 'none', token: unsigned({ sub: 'x', ...claims }) }),
      ),
      printable(40).map((secret) => ({ kind: 'wrong-key', secret: `${secret}-not-the-secret-but-long-enough` })),
      fc.constant({ kind: 'edited' }),
      fc.constant({ kind: 'expired' }),
    );
    await fc.assert(
      fc.asyncProperty(forged, async (spec: any) => {
        let token: string;
        if (spec.kind === 'none') token = spec.token;
        else if (spec.kind === 'wrong-key') token = await api.token('owner', { secret: spec.secret });
        else if (spec.kind === 'expired') token = await new SignJWT({ workspace: 'acme', role: 'owner' }).setProtectedHeader({ alg: 'HS256' }).setSubject('o').setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(new TextEncoder().encode(TEST_SECRET));
        else {
          const [header, , signature] = (await api.token('owner', { workspace: 'globex' })).split('.');
          token = `${header}.${Buffer.from(JSON.stringify({ sub: 'o', workspace: 'acme', role: 'owner' })).toString('base64url')}.${signature}`;
        }
        const edit = await attempt('PATCH', `/v1/contacts/${contactId}`, { token, body: { name: 'pwned' } });
        const read = await attempt('GET', `/v1/contacts/${contactId}`, { token });
        if (edit.status < 400 || read.status < 400) tally.crossWorkspaceSuccesses++;
        expect([edit.status, read.status]).toEqual([401, 401]);
      }),
      { numRuns: RUNS },
    );
  });

  it("another workspace's valid token never reads or writes this workspace's contacts, whatever the id's spelling", async () => {
    const spelling = fc.constantFrom(
      (id: string) => id,
      (id: string) => id.toUpperCase(),
      (id: string) => `${id}%20`,
      (id: string) => encodeURIComponent(`../${id}`),
      (id: string) => `${id}?workspace=acme`,
    );
    await fc.assert(
      fc.asyncProperty(spelling, fc.constantFrom('GET', 'PATCH', 'restore', 'history', 'tag'), async (spell, operation) => {
        const id = spell(contactId);
        const response =
          operation === 'GET' ? await attempt('GET', `/v1/contacts/${id}`, { token: foreignManager })
          : operation === 'history' ? await attempt('GET', `/v1/contacts/${id}/history`, { token: foreignManager })
          : operation === 'PATCH' ? await attempt('PATCH', `/v1/contacts/${id}`, { token: foreignManager, body: { name: 'pwned' } })
          : operation === 'restore' ? await attempt('POST', `/v1/contacts/${id}/restore-from-channel`, { token: foreignManager, body: {} })
          : await attempt('POST', `/v1/contacts/${id}/tags`, { token: foreignManager, body: { tag: 'pwned' } });
        if (response.status < 400) tally.crossWorkspaceSuccesses++;
        expect(response.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: RUNS },
    );
    const view = await api.request('GET', `/v1/contacts/${contactId}`, { token: owner });
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.body)).not.toContain('pwned');
  });
});
