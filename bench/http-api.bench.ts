import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { securityHeaders } from '../libs/http/hardening.js';
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
 *
 * Response bytes cost both sides (the socket write is the biggest part of a light route's time),
 * so a row serves the contact JSON from bare Fastify with the API's own response headers: the
 * ceiling of GET /v1/contacts/:id (a route with a shorter body, /health, can pass it). The second report takes the load generator out: requests per
 * CPU-second of this process (where the API and the bare Fastify run, all its threads), over
 * the same runs.
 */
export default function run(): Promise<BenchReport[]> {
  return withBenchApi('http-api', async ({ url, owner, integration }) => {
    const ids = await seedContacts(url, integration);
    const sampleView = await (await fetch(`${url}/v1/contacts/${ids[0]}?minPosition=1`, { headers: auth(owner) })).json();

    // Measured first and last: on a shared machine the mean of the two is a fairer baseline.
    const baselineBefore = await bareFastify({ '/contact': sampleView });
    const rows: Measured[] = [];
    rows.push({ label: 'bare Fastify, GET of a trivial route', ...(await bareFastify({ '/trivial': { status: 'ok' } })) });
    rows.push({ label: "bare Fastify, GET of the contact JSON with the API's response headers (helmet, correlation id)", ...(await bareFastify({ '/contact': sampleView }, apiResponseHeaders)) });
    const measure = async (label: string, requests: LoadSpec['requests']) => {
      const result = await measured(() => generateLoad({ url, connections: CONNECTIONS, seconds: SECONDS, requests }));
      rows.push({ label, ...result });
      return result;
    };
    await measure('API GET /health (log head and checkpoints)', [{ method: 'GET', path: '/health' }]);
    await measure('API GET /v1/contacts/:id (read model)', ids.map((id) => ({ method: 'GET', path: `/v1/contacts/${id}`, headers: auth(owner) })));
    await measure('API GET /v1/contacts?q=<name word>', FIRST_NAMES.map((name) => ({ method: 'GET', path: `/v1/contacts?q=${name}`, headers: auth(owner) })));
    const edits = (round: number) =>
      ids.map((id, i) => ({ method: 'PATCH' as const, path: `/v1/contacts/${id}`, headers: json(owner), body: JSON.stringify({ name: `Edited Name ${round}x${i}` }) }));
    const patch = await measure('API PATCH /v1/contacts/:id (one event appended)', [...edits(1), ...edits(2)]);
    const paced = await measured(() =>
      generateLoad({ url, connections: CONNECTIONS, seconds: SECONDS, rate: Math.floor(patch.requestsPerSecond * 0.8), requests: [...edits(3), ...edits(4)] }),
    );
    rows.push({ label: `API PATCH at 80 % of that rate: p99 latency ${paced.latencyMs.p99} ms (p50 ${paced.latencyMs.p50} ms)`, ...paced });
    await measure(
      'API POST /v1/channel-contacts (new contact, two events)',
      Array.from({ length: 20_000 }, (_, turn) => ({
        method: 'POST' as const,
        path: '/v1/channel-contacts',
        headers: json(integration),
        body: JSON.stringify({ channel: 'webchat', channelContactId: `load-${turn}`, name: 'Load Test' }),
      })),
    );
    const baselineAfter = await bareFastify({ '/contact': sampleView });
    const mean = (figure: keyof PerRun) => (baselineBefore[figure] + baselineAfter[figure]) / 2;
    const baseline: PerRun = { requestsPerSecond: mean('requestsPerSecond'), requestsPerCpuSecond: mean('requestsPerCpuSecond') };
    const all = [{ label: `${BASELINE} (mean of before and after)`, ...baseline }, ...rows];
    const report = (name: string, unit: string, figure: keyof PerRun): BenchReport => ({
      name,
      baselineLabel: BASELINE,
      unit,
      rows: all.map((row) => ({ label: row.label, value: row[figure], ratio: row[figure] / baseline[figure] })),
    });
    return [
      report(`HTTP API, ${CONNECTIONS} connections, ${SECONDS} s each`, 'req/s', 'requestsPerSecond'),
      report('HTTP API, requests per CPU-second of the serving process (the load generator divided out), same runs', 'req/CPU-s', 'requestsPerCpuSecond'),
    ];
  });
}

interface PerRun {
  requestsPerSecond: number;
  /** Requests answered per second of CPU time of this process (user + system) during the run. */
  requestsPerCpuSecond: number;
}
type Measured = PerRun & { label: string };

/** A load run with the CPU time this process spent serving it. */
async function measured(load: () => Promise<LoadResult>): Promise<LoadResult & PerRun> {
  const before = process.cpuUsage();
  const result = await load();
  const { user, system } = process.cpuUsage(before);
  return { ...result, requestsPerCpuSecond: (result.requestsPerSecond * SECONDS) / ((user + system) / 1e6) };
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

/** The headers every API answer carries whatever its route: helmet's (computed once, as the API does), and a correlation id. */
const API_SECURITY_HEADERS = securityHeaders('api');
const apiResponseHeaders = (): Record<string, string> => ({ ...API_SECURITY_HEADERS, 'x-correlation-id': randomUUID() });

async function bareFastify(routes: Record<string, unknown>, headers?: () => Record<string, string>): Promise<PerRun> {
  const fastify = Fastify();
  for (const [path, body] of Object.entries(routes)) fastify.get(path, async (_request, reply) => (headers ? reply.headers(headers()).send(body) : body));
  const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await measured(() => generateLoad({ url, connections: CONNECTIONS, seconds: SECONDS, requests: Object.keys(routes).map((path) => ({ method: 'GET', path })) }));
  } finally {
    await fastify.close();
  }
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const json = (token: string) => ({ ...auth(token), 'content-type': 'application/json' });
