import { performance } from 'node:perf_hooks';
import type { BenchReport } from './bench-report.js';
import { withBenchApi } from './bench-api.js';
import { generateLoad } from './load.js';

const EVENTS = Number(process.env.BENCH_AS_OF_EVENTS) || 10_000;
const SECONDS = 4;
const CONNECTIONS = 2;

/**
 * The view of one contact as it was (`GET /v1/contacts/:id?asOf=`) when its stream holds EVENTS
 * events: the state is folded from the log (the read models hold only the present), against the
 * present view of the same contact from its read model. The edits that make the stream are
 * PATCHes one after another: their rate shows what a long stream costs a write.
 */
export default function run(): Promise<BenchReport> {
  return withBenchApi('as-of', async (api) => {
    const { url } = api;
    const owner = { authorization: `Bearer ${api.owner}` };
    const integration = { authorization: `Bearer ${api.integration}` };
    const created = await fetch(`${url}/v1/channel-contacts`, {
      method: 'POST',
      headers: { ...integration, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'telegram', channelContactId: 'as-of-1', name: 'As Of Person', email: 'as.of@example.com' }),
    });
    const { contactId } = (await created.json()) as { contactId: string };
    let middle = '';
    const editsStarted = performance.now();
    let lastReport = editsStarted;
    for (let edit = 1; edit < EVENTS; edit++) {
      const patched = await fetch(`${url}/v1/contacts/${contactId}`, {
        method: 'PATCH',
        headers: { ...owner, 'content-type': 'application/json' },
        body: JSON.stringify(edit % 2 ? { name: `As Of Edit ${edit}` } : { phone: `+4420794${String(edit % 100_000).padStart(5, '0')}` }),
      });
      if (patched.status !== 200) throw new Error(`PATCH ${edit}: ${patched.status} ${await patched.text()}`);
      await patched.arrayBuffer();
      if (edit === Math.floor(EVENTS / 2)) middle = new Date().toISOString();
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        console.log(`  as-of: ${edit} of ${EVENTS} events written`);
      }
    }
    const editsPerSecond = (EVENTS - 1) / ((performance.now() - editsStarted) / 1000);
    const load = (path: string) => generateLoad({ url, connections: CONNECTIONS, seconds: SECONDS, requests: [{ method: 'GET', path, headers: owner }] });
    const present = await load(`/v1/contacts/${contactId}`);
    const asOf = await load(`/v1/contacts/${contactId}?asOf=${encodeURIComponent(middle)}`);
    return {
      name: `A contact as it was, ${EVENTS.toLocaleString('en-US')} events in its stream, ${CONNECTIONS} connections (edits that wrote it: ${Math.round(editsPerSecond)}/s one after another)`,
      baselineLabel: 'the present view of the same contact from its read model',
      unit: 'req/s',
      rows: [
        { label: `present view (p50 ${present.latencyMs.p50} ms, p99 ${present.latencyMs.p99} ms)`, value: present.requestsPerSecond, ratio: 1 },
        {
          label: `asOf the middle of the stream (p50 ${asOf.latencyMs.p50} ms, p99 ${asOf.latencyMs.p99} ms)`,
          value: asOf.requestsPerSecond,
          ratio: asOf.requestsPerSecond / present.requestsPerSecond,
        },
      ],
    };
  });
}
