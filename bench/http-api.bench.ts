import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { securityHeaders } from '../libs/http/hardening.js';
import { formatValue, percentile, type BenchReport } from './bench-report.js';
import { generateLoad } from './load.js';
import type { LoadResult, LoadSpec } from './load-generator.js';
import { withBenchApi } from './bench-api.js';

const CONTACTS = 500;
const CONNECTIONS = 10;
/** Each row is measured in ROUNDS slices of SLICE_SECONDS, each after a slice of the baseline. */
const ROUNDS = 3;
const SLICE_SECONDS = 2;
/** The paced PATCH run, for its p99: one run. */
const PACED_SECONDS = 4;
const BASELINE = 'bare Fastify, GET of a static contact-sized JSON';

/**
 * Requests per second of the API's main routes, against bare Fastify serving a JSON body of
 * the same size on the same machine. The load generator (autocannon) runs in a process of its
 * own (load-generator.ts). PATCH is also run at 80 % of its top rate for its p99.
 *
 * The machine is shared and its speed drifts from one second to the next (bare Fastify measured
 * 12.9k and 35k req/s within the hour, 18k to 31k within one run): each row is measured in slices
 * that alternate with slices of the baseline, and its ratio is the median of the slices' ratios.
 *
 * Response bytes cost both sides (the socket write is the biggest part of a light route's time),
 * so a row serves the contact JSON from bare Fastify with the API's own response headers: the
 * ceiling of GET /v1/contacts/:id (a route with a shorter body, /health, can pass it). The second
 * report takes the load generator out: requests per CPU-second of this process (where the API
 * and the bare Fastify run, all its threads), over the same runs.
 */
export default function run(): Promise<BenchReport[]> {
  return withBenchApi('http-api', async ({ url, owner, integration }) => {
    const ids = await seedContacts(url, integration);
    const sampleView = await (await fetch(`${url}/v1/contacts/${ids[0]}?minPosition=1`, { headers: auth(owner) })).json();
    const bare = await bareFastify(sampleView);
    try {
      const baselines: PerRun[] = [];
      const rows: Row[] = [];
      /** A row from its slices: the median figures, and the median of the slices' ratios (an odd count of slices: each median is one slice's). */
      const record = (label: string, slices: Slice[]): PerRun => {
        const of = (figure: keyof PerRun): number => median(slices.map(({ run }) => run[figure]));
        const ratioOf = (figure: keyof PerRun): number => median(slices.map(({ run, baseline }) => run[figure] / baseline[figure]));
        const run = { requestsPerSecond: of('requestsPerSecond'), requestsPerCpuSecond: of('requestsPerCpuSecond') };
        rows.push({ label, ...run, ratio: { requestsPerSecond: ratioOf('requestsPerSecond'), requestsPerCpuSecond: ratioOf('requestsPerCpuSecond') } });
        return run;
      };
      const alternated = async (target: string, requests: LoadSpec['requests']): Promise<Slice[]> => {
        const slices: Slice[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const baseline = await load(bare.url, [{ method: 'GET', path: '/contact' }], SLICE_SECONDS);
          slices.push({ baseline, run: await load(target, requests, SLICE_SECONDS) });
          baselines.push(baseline);
        }
        return slices;
      };
      record('bare Fastify, GET of a trivial route', await alternated(bare.url, [{ method: 'GET', path: '/trivial' }]));
      record("bare Fastify, GET of the contact JSON with the API's response headers (helmet, correlation id)", await alternated(bare.url, [{ method: 'GET', path: '/with-headers' }]));
      record('API GET /health (log head and checkpoints)', await alternated(url, [{ method: 'GET', path: '/health' }]));
      record('API GET /v1/contacts/:id (read model)', await alternated(url, ids.map((id) => ({ method: 'GET', path: `/v1/contacts/${id}`, headers: auth(owner) }))));
      record('API GET /v1/contacts?q=<name word>', await alternated(url, FIRST_NAMES.map((name) => ({ method: 'GET', path: `/v1/contacts?q=${name}`, headers: auth(owner) }))));
      const edits = (round: number) =>
        ids.map((id, i) => ({ method: 'PATCH' as const, path: `/v1/contacts/${id}`, headers: json(owner), body: JSON.stringify({ name: `Edited Name ${round}x${i}` }) }));
      const patchSlices = await alternated(url, [...edits(1), ...edits(2)]);
      const patch = record('API PATCH /v1/contacts/:id (one event appended)', patchSlices);
      const paced = await load(url, [...edits(3), ...edits(4)], PACED_SECONDS, Math.floor(patch.requestsPerSecond * 0.8));
      // One run, for its p99: compared with the baseline slices of the PATCH row.
      record(
        `API PATCH at 80 % of that rate, one run of ${PACED_SECONDS} s: p99 latency ${paced.latencyMs.p99} ms (p50 ${paced.latencyMs.p50} ms)`,
        patchSlices.map(({ baseline }) => ({ baseline, run: paced })),
      );
      record(
        'API POST /v1/channel-contacts (new contact, two events)',
        await alternated(
          url,
          Array.from({ length: 20_000 }, (_, turn) => ({
            method: 'POST' as const,
            path: '/v1/channel-contacts',
            headers: json(integration),
            body: JSON.stringify({ channel: 'webchat', channelContactId: `load-${turn}`, name: 'Load Test' }),
          })),
        ),
      );
      const report = (name: string, unit: string, figure: keyof PerRun): BenchReport => {
        const values = baselines.map((run) => run[figure]);
        return {
          name,
          baselineLabel: `${BASELINE}, in slices alternating with each row's (each ratio is the median of its slices' ratios)`,
          unit,
          rows: [
            { label: `${BASELINE} (median of ${values.length} slices, ${formatValue(Math.min(...values))} to ${formatValue(Math.max(...values))})`, value: median(values), ratio: 1 },
            ...rows.map((row) => ({ label: row.label, value: row[figure], ratio: row.ratio[figure] })),
          ],
        };
      };
      return [
        report(`HTTP API, ${CONNECTIONS} connections, ${ROUNDS} slices of ${SLICE_SECONDS} s per row`, 'req/s', 'requestsPerSecond'),
        report('HTTP API, requests per CPU-second of the serving process (the load generator divided out), same runs', 'req/CPU-s', 'requestsPerCpuSecond'),
      ];
    } finally {
      await bare.close();
    }
  });
}

interface PerRun {
  requestsPerSecond: number;
  /** Requests answered per second of CPU time of this process (user + system) during the run. */
  requestsPerCpuSecond: number;
}
type Row = PerRun & { label: string; ratio: PerRun };
type Slice = { run: PerRun; baseline: PerRun };

/** A load run with the CPU time this process spent serving it. */
async function load(url: string, requests: LoadSpec['requests'], seconds: number, rate?: number): Promise<LoadResult & PerRun> {
  const before = process.cpuUsage();
  const result = await generateLoad({ url, connections: CONNECTIONS, seconds, requests, ...(rate ? { rate } : {}) });
  const { user, system } = process.cpuUsage(before);
  return { ...result, requestsPerCpuSecond: (result.requestsPerSecond * seconds) / ((user + system) / 1e6) };
}

const median = (values: readonly number[]): number => percentile(values, 50);

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

/** Bare Fastify on its own port: the contact JSON, the same with the API's headers, and a trivial route; warmed up. */
async function bareFastify(contact: unknown): Promise<{ url: string; close: () => Promise<void> }> {
  const fastify = Fastify();
  fastify.get('/contact', async () => contact);
  fastify.get('/with-headers', async (_request, reply) => reply.headers(apiResponseHeaders()).send(contact));
  fastify.get('/trivial', async () => ({ status: 'ok' }));
  const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
  await load(url, ['/contact', '/with-headers', '/trivial'].map((path) => ({ method: 'GET', path })), SLICE_SECONDS);
  return { url, close: () => fastify.close() };
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const json = (token: string) => ({ ...auth(token), 'content-type': 'application/json' });
