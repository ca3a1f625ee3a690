import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Request } from 'autocannon';
import Fastify from 'fastify';
import { createApiApp } from '../apps/api/create-api-app.js';
import { mintToken } from '../apps/api/auth/tokens.js';
import { loadConfig } from '../libs/shared-kernel/config.js';
import type { BenchReport } from './bench-report.js';

const SECRET = 'bench-secret-bench-secret-bench-secret';
const CONTACTS = 500;
const SECONDS = 4;
const CONNECTIONS = 10;
const BASELINE = 'bare Fastify, GET of a static contact-sized JSON';

/**
 * Requests per second of the API's main routes, against bare Fastify serving a JSON body of
 * the same size on the same machine in the same run. The load generator (autocannon) runs in
 * the same process, as it does for the baseline.
 */
export default async function run(): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'http-api-bench-'));
  const app = await createApiApp(loadConfig({ DATA_DIR: dir, AUTH_JWT_SECRET: SECRET }), false);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = await app.getUrl();
  try {
    const owner = await mintToken({ sub: 'owner-1', workspace: 'bench', role: 'owner' }, SECRET);
    const integration = await mintToken({ sub: 'connector-1', workspace: 'bench', role: 'integration' }, SECRET);
    const ids = await seedContacts(url, integration);
    const sampleView = await (await fetch(`${url}/v1/contacts/${ids[0]}?minPosition=1`, { headers: auth(owner) })).json();

    const baseline = await bareFastify(sampleView);
    const measured: Array<[string, number]> = [[BASELINE, baseline]];
    measured.push(['API GET /v1/contacts/:id (read model)', await requestsPerSecond(url, (turn) => ({ method: 'GET', path: `/v1/contacts/${ids[turn % ids.length]}`, headers: auth(owner) }))]);
    measured.push(['API GET /v1/contacts?q=<name word>', await requestsPerSecond(url, (turn) => ({ method: 'GET', path: `/v1/contacts?q=${FIRST_NAMES[turn % FIRST_NAMES.length]}`, headers: auth(owner) }))]);
    measured.push([
      'API PATCH /v1/contacts/:id (one event appended)',
      await requestsPerSecond(url, (turn) => ({ method: 'PATCH', path: `/v1/contacts/${ids[turn % ids.length]}`, headers: json(owner), body: JSON.stringify({ name: `Edited Name ${turn}` }) })),
    ]);
    measured.push([
      'API POST /v1/channel-contacts (new contact, two events)',
      await requestsPerSecond(url, (turn) => ({ method: 'POST', path: '/v1/channel-contacts', headers: json(integration), body: JSON.stringify({ channel: 'webchat', channelContactId: `load-${turn}`, name: 'Load Test' }) })),
    ]);
    return {
      name: `HTTP API, ${CONNECTIONS} connections, ${SECONDS} s each`,
      baselineLabel: BASELINE,
      unit: 'req/s',
      rows: measured.map(([label, value]) => ({ label, value, ratio: value / baseline })),
    };
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const FIRST_NAMES = ['Amber', 'Boris', 'Chen', 'Dana', 'Emil', 'Fatima', 'Goran', 'Hana'];

async function seedContacts(url: string, token: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < CONTACTS; i++) {
    const response = await fetch(`${url}/v1/channel-contacts`, {
      method: 'POST',
      headers: json(token),
      body: JSON.stringify({ channel: 'whatsapp', channelContactId: `+4420794${String(i).padStart(5, '0')}`, name: `${FIRST_NAMES[i % FIRST_NAMES.length]} Person${i}` }),
    });
    ids.push(((await response.json()) as { contactId: string }).contactId);
  }
  return ids;
}

async function bareFastify(body: unknown): Promise<number> {
  const fastify = Fastify();
  fastify.get('/contact', async () => body);
  const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await requestsPerSecond(url, () => ({ method: 'GET', path: '/contact' }));
  } finally {
    await fastify.close();
  }
}

/** Average requests per second; `request(turn)` shapes each request, so each can differ (ids, values). */
async function requestsPerSecond(url: string, request: (turn: number) => Request): Promise<number> {
  let turn = 0;
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, requests: [{ setupRequest: () => ({ headers: {}, ...request(turn++) }) }] });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors from ${request(0).path}`);
  return result.requests.average;
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const json = (token: string) => ({ ...auth(token), 'content-type': 'application/json' });
