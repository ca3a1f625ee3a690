import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { dropStackDatabase, E2E_STACKS } from '../support/stacks.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { OpenApiContract } from '../support/openapi-contract.js';

/**
 * Hostile input over EVERY operation of the OpenAPI document (libs/client/openapi.json, checked
 * against the document the server serves), property-based:
 * - any input (random or malformed path ids, query strings, headers, bodies, tokens and roles):
 *   no 5xx but 503, a refused request writes nothing (log size unchanged), the answer is the one
 *   error shape and matches the document, nothing of the other workspace shows in it;
 * - another workspace's valid token with this workspace's ids (path, body, query) or forged
 *   self-service tokens mixing both workspaces: refused, nothing written, nothing of it read;
 * - unknown properties beside a valid body: 400, nothing written.
 * Figures per operation are printed at the end (for the issue note).
 */
const RANDOM_RUNS = 20;
const CROSS_RUNS = 5;
const EXTRA_RUNS = 5;

interface Operation {
  method: string;
  template: string;
  pathParams: string[];
  queryParams: string[];
  bodySchema?: { properties?: Record<string, unknown>; required?: string[] };
  bearer: boolean;
}

const DOCUMENT = JSON.parse(readFileSync(join(process.cwd(), 'libs/client/openapi.json'), 'utf8')) as Record<string, any>;
const OPERATIONS: Operation[] = Object.entries(DOCUMENT.paths as Record<string, Record<string, any>>).flatMap(([template, item]) =>
  Object.entries(item)
    .filter(([, operation]) => operation && typeof operation === 'object' && operation.responses)
    .map(([method, operation]) => {
      const parameters = (operation.parameters ?? []) as Array<{ in: string; name: string }>;
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      return {
        method: method.toUpperCase(),
        template,
        pathParams: parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name),
        queryParams: parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
        bodySchema: schema?.$ref ? DOCUMENT.components.schemas[String(schema.$ref).split('/').pop()!] : schema,
        bearer: (operation.security ?? DOCUMENT.security ?? []).length > 0,
      };
    }),
);
const nameOf = (operation: Operation) => `${operation.method} ${operation.template}`;

/** What a path parameter names, from its place in the path. */
type Kind = 'contact' | 'profile' | 'note' | 'suggestion' | 'linkToken' | 'field' | 'tag';
function kindOf(template: string, parameter: string): Kind {
  if (parameter === 'contactId') return 'contact';
  if (parameter === 'noteId') return 'note';
  if (parameter === 'tag') return 'tag';
  if (parameter === 'name') return 'field';
  if (parameter === 'token') return 'linkToken';
  if (template.startsWith('/v1/profiles')) return 'profile';
  if (template.startsWith('/v1/merge-suggestions')) return 'suggestion';
  return 'contact';
}
/** Operations that consume what they name: their "own" ids are created fresh for each run. */
const CONSUMING = new Set([
  'DELETE /v1/contacts/{id}',
  'DELETE /v1/contacts/{id}/self-service-links/{token}',
  'DELETE /v1/custom-fields/{name}',
  'POST /v1/profiles/{id}/archive',
  'DELETE /v1/profiles/{id}/notes/{noteId}',
]);
/** A valid body per operation with a body, and the role that may send it (for the extra-property check). */
const VALID: Record<string, { body: Record<string, unknown>; role: Role | 'none' }> = {
  'POST /v1/channel-contacts': { body: { channel: 'sms', channelContactId: '+15550100009' }, role: 'integration' },
  'PATCH /v1/contacts/{id}': { body: { language: null }, role: 'owner' },
  'POST /v1/contacts/{id}/restore-from-channel': { body: { fields: ['language'] }, role: 'owner' },
  'POST /v1/contacts/{id}/tags': { body: { tag: 'extra' }, role: 'owner' },
  'POST /v1/contacts/{id}/self-service-links': { body: { expiresInHours: 2 }, role: 'owner' },
  'PATCH /v1/self-service/{token}': { body: { email: null }, role: 'none' },
  'PUT /v1/permissions/contact-editing': { body: { agentIds: ['agent-1'], allowed: true }, role: 'owner' },
  'POST /v1/custom-fields': { body: { name: 'extra_field', label: 'Extra', type: 'text' }, role: 'owner' },
  'POST /v1/profiles': { body: { name: 'Extra profile' }, role: 'owner' },
  'PATCH /v1/profiles/{id}': { body: { name: 'Extra profile' }, role: 'owner' },
  'POST /v1/profiles/{id}/contacts': { body: { contactId: '' }, role: 'owner' },
  'POST /v1/profiles/{id}/notes': { body: { text: 'extra' }, role: 'owner' },
  'PATCH /v1/profiles/{id}/notes/{noteId}': { body: { text: 'extra' }, role: 'owner' },
  'POST /v1/merge-suggestions/{id}/accept': { body: {}, role: 'owner' },
};

type Role = 'owner' | 'manager' | 'agent' | 'integration';
const ROLES: Role[] = ['owner', 'manager', 'agent', 'integration'];

interface Seeded {
  marker: string;
  contact: string;
  profile: string;
  note: string;
  suggestion: string;
  linkToken: string;
  field: string;
  tag: string;
  tokens: Record<Role, string>;
}

interface Figures {
  inputs: number;
  serverErrors: number;
  refusedWithWrite: number;
  crossWorkspaceSuccesses: number;
}

const printable = (maxLength: number) => fc.string({ maxLength }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));
const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, '', ' ', 0, -1, 1.5, 1e308, true, [], {}, '__proto__', 'x'.repeat(5000), '+1 (555) 000-0000', 'a@b', '\u0000', '<script>', '2026-13-45', '$where'),
);
const weirdSegment = fc.constantFrom('', '%00', '..', '%2e%2e', 'null', 'undefined', '__proto__', 'constructor', 'x'.repeat(3000), '00000000-0000-0000-0000-000000000000', '%E0%A4%A', '.', 'a.b.c', '-1', '1e9');

describe.each(E2E_STACKS)('hostile input on every endpoint — %s', (stackName, stackEnv) => {
  const env = { ...stackEnv(), RATE_LIMIT_MAX: '1000000' };
  let api: ApiHarness;
  let contract: OpenApiContract;
  let log: Database.Database;
  let acme: Seeded;
  let globex: Seeded;
  const figures = new Map<string, Figures>();
  const figuresOf = (operation: Operation) => {
    let entry = figures.get(nameOf(operation));
    if (!entry) figures.set(nameOf(operation), (entry = { inputs: 0, serverErrors: 0, refusedWithWrite: 0, crossWorkspaceSuccesses: 0 }));
    return entry;
  };

  const logSize = () => (log.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;

  beforeAll(async () => {
    api = await startApi(env);
    contract = new OpenApiContract((await (await fetch(`${api.baseUrl}/docs-json`)).json()) as Record<string, unknown>);
    acme = await seed('acme', 'Acmesecret', '+442079460101');
    globex = await seed('globex', 'Globexsecret', '+442079460202');
    log = new Database(join(api.config.dataDir, 'events.sqlite'), { readonly: true });
  });
  afterAll(async () => {
    const total = [...figures.values()].reduce(
      (sum, entry) => ({
        inputs: sum.inputs + entry.inputs,
        serverErrors: sum.serverErrors + entry.serverErrors,
        refusedWithWrite: sum.refusedWithWrite + entry.refusedWithWrite,
        crossWorkspaceSuccesses: sum.crossWorkspaceSuccesses + entry.crossWorkspaceSuccesses,
      }),
      { inputs: 0, serverErrors: 0, refusedWithWrite: 0, crossWorkspaceSuccesses: 0 },
    );
    const lines = [...figures.entries()].map(([name, entry]) => `  ${name}: ${entry.inputs} inputs, 5xx ${entry.serverErrors}, refused-with-write ${entry.refusedWithWrite}, cross-workspace ${entry.crossWorkspaceSuccesses}`);
    console.log(`hostile input, every endpoint (${stackName}): ${figures.size} operations, ${JSON.stringify(total)}\n${lines.join('\n')}`);
    log?.close();
    await api?.close();
    await dropStackDatabase(env);
  });

  async function seed(workspace: string, marker: string, phone: string): Promise<Seeded> {
    const tokens = Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, await api.token(role, { workspace, sub: `${role}-1` })]))) as Record<Role, string>;
    const call = async (method: string, path: string, body: unknown, role: Role = 'owner') => {
      const response = await api.request(method, path, { token: tokens[role], ...(body === undefined ? {} : { body }) });
      if (response.status >= 300) throw new Error(`seeding ${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    };
    const prefix = workspace.slice(0, 3);
    const contact = (await call('POST', '/v1/channel-contacts', { channel: 'whatsapp', channelContactId: phone, name: `${marker} Ann` }, 'integration')).contactId as string;
    const { position } = await call('POST', '/v1/channel-contacts', { channel: 'telegram', channelContactId: `tg-${workspace}`, phone, name: `${marker} Tg` }, 'integration');
    const field = `${prefix}_field`;
    await call('POST', '/v1/custom-fields', { name: field, label: `${marker} label`, type: 'text', visibleToCustomer: true });
    const tag = `${prefix}-tag`;
    await call('POST', `/v1/contacts/${contact}/tags`, { tag });
    await call('PUT', '/v1/permissions/contact-editing', { agentIds: ['agent-1'], allowed: true });
    const profile = (await call('POST', '/v1/profiles', { name: `${marker} profile`, contactIds: [contact] })).profileId as string;
    const note = (await call('POST', `/v1/profiles/${profile}/notes`, { text: `${marker} note` })).noteId as string;
    const linkToken = (await call('POST', `/v1/contacts/${contact}/self-service-links`, {})).token as string;
    const suggestions = await call('GET', `/v1/merge-suggestions?minPosition=${position}&limit=100`, undefined);
    const suggestion = (suggestions.items as Array<{ id: string }>)[0]?.id;
    if (!suggestion) throw new Error(`seeding: no merge suggestion in ${workspace}`);
    return { marker, contact, profile, note, suggestion, linkToken, field, tag, tokens };
  }

  /** A new thing of that kind in the workspace, for the operations that consume what they name. */
  async function fresh(kind: Kind, of: Seeded): Promise<string> {
    const call = async (method: string, path: string, body: unknown, role: Role = 'owner') => (await api.request(method, path, { token: of.tokens[role], body })).body;
    if (kind === 'contact') return (await call('POST', '/v1/channel-contacts', { channel: 'sms', channelContactId: `fresh-${Math.random()}`, name: `${of.marker} Fresh` }, 'integration')).contactId;
    if (kind === 'profile') return (await call('POST', '/v1/profiles', { name: `${of.marker} fresh` })).profileId;
    if (kind === 'note') return (await call('POST', `/v1/profiles/${of.profile}/notes`, { text: `${of.marker} fresh` })).noteId;
    if (kind === 'linkToken') return (await call('POST', `/v1/contacts/${of.contact}/self-service-links`, {})).token;
    if (kind === 'field') {
      const name = `f${Math.random().toString(36).slice(2, 10)}`;
      await call('POST', '/v1/custom-fields', { name, label: `${of.marker} fresh`, type: 'word' });
      return name;
    }
    return of[kind];
  }

  const idsOf = (of: Seeded) => [of.contact, of.profile, of.note, of.suggestion, of.linkToken];

  /** Sends one request; reads a stream until it ends or goes quiet (a live stream never ends). */
  async function send(method: string, path: string, headers: Record<string, string>, body: string | undefined) {
    const controller = new AbortController();
    const response = await fetch(`${api.baseUrl}${path}`, { method, headers, signal: controller.signal, ...(body !== undefined && method !== 'GET' ? { body } : {}) });
    const contentType = response.headers.get('content-type') ?? '';
    let text = '';
    let complete = true;
    if (/event-stream|ndjson/.test(contentType)) {
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        let timer: NodeJS.Timeout | undefined;
        const quiet = new Promise<'quiet'>((resolve) => (timer = setTimeout(() => resolve('quiet'), 300)));
        const chunk = await Promise.race([reader.read(), quiet]);
        clearTimeout(timer);
        if (chunk === 'quiet') {
          complete = false;
          controller.abort();
          await reader.cancel().catch(() => undefined);
          break;
        }
        if (chunk.done) break;
        text += decoder.decode(chunk.value, { stream: true });
      }
    } else {
      text = await response.text();
    }
    return { status: response.status, contentType, text, complete };
  }

  /**
   * Sends the request and checks what holds for every input: no 5xx but 503, the answer in the
   * document, a refusal in the error shape with nothing written, nothing of `other` in the answer
   * (its marker, or one of its ids the request did not carry).
   */
  async function attempt(operation: Operation, request: { path: string; headers: Record<string, string>; body?: string }, other: Seeded) {
    const before = logSize();
    const response = await send(operation.method, request.path, request.headers, request.body);
    const entry = figuresOf(operation);
    entry.inputs++;
    if (response.status >= 500 && response.status !== 503) entry.serverErrors++;
    const label = `${operation.method} ${request.path.slice(0, 300)} [${JSON.stringify(request.headers).slice(0, 300)}] ${String(request.body).slice(0, 300)} → ${response.status} ${response.text.slice(0, 300)}`;
    if (response.status >= 500 && response.status !== 503) throw new Error(`server error: ${label}`);
    // Node refuses too-large headers itself (431) before the application sees the request; a path
    // with an empty or dot segment is no operation's path (the router answers it as an unknown route).
    const pathname = new URL(`${api.baseUrl}${request.path}`).pathname;
    const ofTheOperation = new RegExp(`^${operation.template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(pathname);
    if (response.status !== 431 && ofTheOperation && response.complete && !(operation.method === 'GET' && response.contentType.includes('event-stream'))) {
      try {
        contract.check(operation.method, `${api.baseUrl}${request.path}`, { status: response.status, contentType: response.contentType || null, body: response.text });
      } catch (error) {
        throw new Error(`${label}\n${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const carried = `${request.path} ${JSON.stringify(request.headers)} ${request.body ?? ''}`;
    const leaked = [other.marker, ...idsOf(other)].filter((value) => response.text.includes(value) && !carried.includes(value));
    if (leaked.length > 0) {
      entry.crossWorkspaceSuccesses++;
      throw new Error(`the answer holds the other workspace's ${leaked.join(', ')}: ${label}`);
    }
    if (response.status >= 400) {
      const after = logSize();
      if (after !== before) {
        entry.refusedWithWrite++;
        throw new Error(`refused but wrote ${after - before} event(s): ${label}`);
      }
      if (response.status !== 431 && response.text !== '') {
        let parsed: any;
        try {
          parsed = JSON.parse(response.text);
        } catch {
          throw new Error(`refusal not in the error shape: ${label}`);
        }
        expect(parsed).toMatchObject({ statusCode: response.status, error: expect.any(String), message: expect.any(String) });
      }
    }
    return response;
  }

  /** Events appended after `position` that belong to `workspace` (by metadata or by stream). */
  function eventsOfSince(workspace: string, position: number, streams: Set<string>): number {
    const rows = log.prepare('SELECT stream_id, metadata FROM events WHERE position > ?').all(position) as Array<{ stream_id: string; metadata: string }>;
    return rows.filter((row) => JSON.parse(row.metadata).workspace === workspace || streams.has(row.stream_id)).length;
  }

  const headerArbitrary = fc.record(
    {
      'if-match': fc.oneof(printable(20), fc.nat().map(String), fc.constantFrom('W/"1"', '*', '-1', '1e3', '0x10')),
      'idempotency-key': fc.oneof(printable(300), fc.constant('k'.repeat(8000))),
      'last-event-id': fc.oneof(printable(30), fc.nat().map(String), fc.constantFrom('-1', '1e309', '99999999999999999999')),
      'content-type': fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', 'application/xml', ''),
      accept: fc.constantFrom('*/*', 'text/csv', 'application/xml', 'text/event-stream', 'application/x-ndjson', ''),
      'x-correlation-id': printable(200),
      'x-huge': fc.constant('h'.repeat(20_000)),
    },
    { requiredKeys: [] },
  );
  const queryValue = fc.oneof(
    printable(40),
    fc.integer().map(String),
    fc.double().map(String),
    fc.constantFrom('true', 'false', '', '0', '-1', '1e400', '2026-11-30T00:00:00Z', 'not-a-date', 'x'.repeat(5000), 'a,b,c', '%', '[object Object]'),
  );

  /** Fills the path with ids of this workspace, of the other one, or garbage. */
  const pathArbitrary = (operation: Operation, own: () => Seeded, other: () => Seeded) =>
    fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant('own' as const) }, fc.constant('other' as const), printable(60), weirdSegment), {
      minLength: operation.pathParams.length,
      maxLength: operation.pathParams.length,
    }).map((choices) => async () => {
      let path = operation.template;
      for (const [index, parameter] of operation.pathParams.entries()) {
        const kind = kindOf(operation.template, parameter);
        const choice = choices[index]!;
        const value =
          choice === 'own' ? (CONSUMING.has(nameOf(operation)) ? await fresh(kind, own()) : own()[kind])
          : choice === 'other' ? other()[kind]
          : choice;
        path = path.replace(`{${parameter}}`, choice === 'own' || choice === 'other' ? encodeURIComponent(value) : value === '' ? '' : encodeURIComponent(value).replace(/%25/g, '%'));
      }
      return path;
    });

  /** A body: the schema's properties with any values, any JSON, text that is no JSON, or too large. */
  const bodyArbitrary = (operation: Operation) => {
    const keys = Object.keys(operation.bodySchema?.properties ?? {});
    const known = keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('x');
    return fc.oneof(
      { weight: 4, arbitrary: fc.dictionary(fc.oneof({ weight: 4, arbitrary: known }, fc.string({ maxLength: 10 })), jsonValue, { maxKeys: 5 }).map((value) => JSON.stringify(value)) },
      fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
      printable(100),
      fc.constantFrom('{', '{"a":', '[1,2', 'null', '"x"', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', `{"x":"${'y'.repeat(70_000)}"}`, '{"a":'.repeat(2000)),
      fc.constant(undefined),
    );
  };

  it('covers every operation the served document describes', async () => {
    const served = (await (await fetch(`${api.baseUrl}/docs-json`)).json()) as Record<string, any>;
    const servedOperations = Object.entries(served.paths as Record<string, Record<string, unknown>>).flatMap(([template, item]) => Object.keys(item).filter((method) => ['get', 'put', 'post', 'patch', 'delete'].includes(method)).map((method) => `${method.toUpperCase()} ${template}`));
    expect(OPERATIONS.map(nameOf).sort()).toEqual(servedOperations.sort());
    expect(OPERATIONS.length).toBeGreaterThan(35);
  });

  it('a malformed percent-escape or an over-long segment in the path is refused in the one error shape (found by this suite)', async () => {
    const cases: Array<[string, string, number, string]> = [
      ['GET', '/v1/contacts/%', 400, 'Bad Request'],
      ['DELETE', '/v1/contacts/%E0%A4%A/tags/x', 400, 'Bad Request'],
      ['PATCH', '/v1/self-service/%zz', 400, 'Bad Request'],
      ['PATCH', `/v1/contacts/${'x'.repeat(101)}`, 414, 'URI Too Long'],
    ];
    for (const [method, path, status, error] of cases) {
      const before = logSize();
      const response = await send(method, path, { authorization: `Bearer ${acme.tokens.owner}` }, undefined);
      expect({ status: response.status, body: JSON.parse(response.text) }).toEqual({ status, body: { statusCode: status, error, message: expect.any(String) } });
      expect(logSize()).toBe(before);
    }
  });

  it.each(OPERATIONS.map((operation) => [nameOf(operation), operation] as const))('%s: any path, query, headers, body and token', async (_name, operation) => {
    const query = fc.array(fc.tuple(fc.oneof({ weight: 3, arbitrary: operation.queryParams.length > 0 ? fc.constantFrom(...operation.queryParams) : fc.constant('x') }, printable(10)), queryValue), { maxLength: 5 });
    const token = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...ROLES).map((role) => () => acme.tokens[role]) },
      fc.constantFrom(() => undefined, () => 'not.a.token', () => `${acme.tokens.owner}x`, () => globex.tokens.owner),
    );
    await fc.assert(
      fc.asyncProperty(pathArbitrary(operation, () => acme, () => globex), query, headerArbitrary, bodyArbitrary(operation), token, async (makePath, parameters, headers, body, tokenOf) => {
        const path = await makePath();
        const search = new URLSearchParams();
        for (const [key, value] of parameters) search.append(key, value);
        const sent: Record<string, string> = { ...headers };
        const bearer = tokenOf();
        if (bearer) sent.authorization = `Bearer ${bearer}`;
        if (sent['content-type'] === '') delete sent['content-type'];
        // A foreign token reads its own workspace, and so does a foreign self-service link: what must not show is then acme's.
        const other = (operation.bearer ? bearer === globex.tokens.owner : path.includes(globex.linkToken)) ? acme : globex;
        await attempt(operation, { path: `${path}${search.size > 0 ? `?${search}` : ''}`, headers: sent, body }, other);
      }),
      { numRuns: RANDOM_RUNS },
    );
  });

  it.each(OPERATIONS.filter((operation) => operation.template.startsWith('/v1/')).map((operation) => [nameOf(operation), operation] as const))(
    "%s: another workspace's token with this workspace's ids reads and writes nothing of it",
    async (_name, operation) => {
      const streams = new Set((log.prepare('SELECT DISTINCT stream_id FROM events').all() as Array<{ stream_id: string }>).filter(() => true).map((row) => row.stream_id));
      const acmeStreams = new Set([...streams].filter((stream) => idsOf(acme).some((id) => stream.includes(id))));
      const selfService = operation.template.startsWith('/v1/self-service');
      const tail = (token: string) => token.slice(token.indexOf('.') + 1);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<Role>('owner', 'manager', 'agent', 'integration'),
          fc.array(fc.boolean(), { minLength: operation.pathParams.length, maxLength: operation.pathParams.length }),
          fc.constantFrom(0, 1, 2),
          async (role, acmeParams, forgery) => {
            const head = logSize();
            let path = operation.template;
            let namesAcme = false;
            for (const [index, parameter] of operation.pathParams.entries()) {
              const kind = kindOf(operation.template, parameter);
              let value: string;
              if (selfService) {
                // Forged self-service tokens: acme's contact with globex's secret part, and the reverse.
                value = [`${acme.contact}.${tail(globex.linkToken)}`, `${globex.contact}.${tail(acme.linkToken)}`, `${acme.linkToken.slice(0, -2)}xx`][forgery]!;
                namesAcme = true;
              } else {
                // At least one acme resource in the path (a tag names no resource).
                const useAcme = acmeParams[index]! || (index === operation.pathParams.length - 1 && !namesAcme);
                value = useAcme ? acme[kind] : globex[kind];
                if (useAcme && kind !== 'tag') namesAcme = true;
              }
              path = path.replace(`{${parameter}}`, encodeURIComponent(value));
            }
            const valid = VALID[nameOf(operation)]?.body;
            const body = valid
              ? {
                  ...valid,
                  ...('contactId' in (operation.bodySchema?.properties ?? {}) ? { contactId: acme.contact } : {}),
                  ...('contactIds' in (operation.bodySchema?.properties ?? {}) ? { contactIds: [acme.contact] } : {}),
                }
              : undefined;
            if (body && ('contactId' in body || 'contactIds' in body)) namesAcme = true;
            const search = new URLSearchParams();
            if (operation.queryParams.includes('ids')) search.set('ids', acme.contact);
            if (operation.queryParams.includes('tag')) search.set('tag', acme.tag);
            if (operation.queryParams.includes('q')) search.set('q', 'Ann');
            if (operation.queryParams.includes('actorId')) search.set('actorId', 'owner-1');
            const headers: Record<string, string> = selfService ? {} : { authorization: `Bearer ${globex.tokens[role]}` };
            if (body) headers['content-type'] = 'application/json';
            const response = await attempt(operation, { path: `${path}${search.size > 0 ? `?${search}` : ''}`, headers, body: body && JSON.stringify(body) }, acme);
            const written = eventsOfSince('acme', head, acmeStreams);
            if ((namesAcme && response.status < 400) || written > 0) {
              figuresOf(operation).crossWorkspaceSuccesses++;
              throw new Error(`cross-workspace ${written > 0 ? 'write' : 'success'}: ${operation.method} ${path} as globex ${role} → ${response.status} ${response.text.slice(0, 300)}`);
            }
          },
        ),
        { numRuns: CROSS_RUNS },
      );
    },
  );

  it.each(OPERATIONS.filter((operation) => VALID[nameOf(operation)]).map((operation) => [nameOf(operation), operation] as const))(
    '%s: an unknown property beside a valid body is refused (400), nothing written',
    async (_name, operation) => {
      const known = new Set([...Object.keys(operation.bodySchema?.properties ?? {}), '__proto__']);
      const extraKey = fc.oneof(fc.string({ minLength: 1, maxLength: 20 }).filter((key) => !known.has(key)), fc.constantFrom('constructor', 'toString', 'valueOf', 'hasOwnProperty', 'workspace', 'id', 'version'));
      const { body, role } = VALID[nameOf(operation)]!;
      await fc.assert(
        fc.asyncProperty(extraKey, jsonValue, async (key, value) => {
          let path = operation.template;
          for (const parameter of operation.pathParams) path = path.replace(`{${parameter}}`, encodeURIComponent(acme[kindOf(operation.template, parameter)]));
          const filled = 'contactId' in body ? { ...body, contactId: acme.contact } : body;
          const headers: Record<string, string> = { 'content-type': 'application/json', ...(role === 'none' ? {} : { authorization: `Bearer ${acme.tokens[role]}` }) };
          const response = await attempt(operation, { path, headers, body: JSON.stringify({ ...filled, [key]: value }) }, globex);
          expect(response.status).toBe(400);
        }),
        { numRuns: EXTRA_RUNS },
      );
    },
  );
});
