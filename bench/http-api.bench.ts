import Fastify from 'fastify';
import type { BenchReport } from './bench-report.js';
import { generateLoad } from './load.js';
import type { LoadResult, LoadSpec } from './load-generator.js';
import { withBenchApi } from './bench-api.js';

const CONTACTS = 500;
const SECONDS = 4;
const CONNECTIONS = 10;
const BASELINE = 'bare Fastify, GET of a static contact-sized JSON';

/**
 * Requests per second of the API's main routes, against bare Fastify serving a JSON body of
 * the same size on the same machine in the same run. The load generator (autocannon) runs in a
 * process of its own (load-generator.ts). PATCH is also run at 80 % of its top rate for its p99.
 */
export default function run(): Promise<BenchReport> {
  return withBenchApi('http-api', async ({ url, owner, integration }) => {
    const ids = await seedContacts(url, integration);
    const sampleView = await (await fetch(`${url}/v1/contacts/${ids[0]}?minPosition=1`, { headers: auth(owner) })).json();

    // Measured first and last: on a shared machine the mean of the two is a fairer baseline.
    const baselineBefore = (await bareFastify({ '/contact': sampleView })).requestsPerSecond;
    const rows: Array<[string, number]> = [];
    rows.push(['bare Fastify, GET of a trivial route', (await bareFastify({ '/trivial': { status: 'ok' } })).requestsPerSecond]);
    const measure = async (label: string, requests: LoadSpec['requests']) => {
      const result = await generateLoad({ url, connections: CONNECTIONS, seconds: SECONDS, requests });
      rows.push([label, result.requestsPerSecond]);
      return result;
    };
    await measure('API GET /health (log head and checkpoints)', [{ method: 'GET', path: '/health' }]);
    await measure('API GET /v1/contacts/:id (read model)', ids.map((id) => ({ method: 'GET', path: `/v1/contacts/${id}`, headers: auth(owner) })));
    await measure('API GET /v1/contacts?q=<name word>', FIRST_NAMES.map((name) => ({ method: 'GET', path: `/v1/contacts?q=${name}`, headers: auth(owner) })));
    const edits = (round: number) =>
      ids.map((id, i) => ({ method: 'PATCH' as const, path: `/v1/contacts/${id}`, headers: json(owner), body: JSON.stringify({ name: `Edited Name ${round}x${i}` }) }));
    const patch = await measure('API PATCH /v1/contacts/:id (one event appended)', [...edits(1), ...edits(2)]);
    const paced = await generateLoad({ url, connections: CONNECTIONS, seconds: SECONDS, rate: Math.floor(patch.requestsPerSecond * 0.8), requests: [...edits(3), ...edits(4)] });
    rows.push([`API PATCH at 80 % of that rate: p99 latency ${paced.latencyMs.p99} ms (p50 ${paced.latencyMs.p50} ms)`, paced.requestsPerSecond]);
    await measure(
      'API POST /v1/channel-contacts (new contact, two events)',
      Array.from({ length: 20_000 }, (_, turn) => ({
        method: 'POST' as const,
        path: '/v1/channel-contacts',
        headers: json(integration),
        body: JSON.stringify({ channel: 'webchat', channelContactId: `load-${turn}`, name: 'Load Test' }),
      })),
    );
    const baselineAfter = (await bareFastify({ '/contact': sampleView })).requestsPerSecond;
    const baseline = (baselineBefore + baselineAfter) / 2;
    rows.unshift([`${BASELINE} (mean of ${Math.round(baselineBefore)} before and ${Math.round(baselineAfter)} after)`, baseline]);
    return {
      name: `HTTP API, ${CONNECTIONS} connections, ${SECONDS} s each`,
      baselineLabel: BASELINE,
      unit: 'req/s',
      rows: rows.map(([label, value]) => ({ label, value, ratio: value / baseline })),
    };
  });
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

async function bareFastify(routes: Record<string, unknown>): Promise<LoadResult> {
  const fastify = Fastify();
  for (const [path, body] of Object.entries(routes)) fastify.get(path, async () => body);
  const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await generateLoad({ url, connections: CONNECTIONS, seconds: SECONDS, requests: Object.keys(routes).map((path) => ({ method: 'GET', path })) });
  } finally {
    await fastify.close();
  }
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const json = (token: string) => ({ ...auth(token), 'content-type': 'application/json' });
