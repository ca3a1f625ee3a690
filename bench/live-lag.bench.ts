import { performance } from 'node:perf_hooks';
import type { BenchReport } from './bench-report.js';
import { withBenchApi } from './bench-api.js';

const CONTACTS = 100;
const SECONDS = 20;
/** Edits per second: about half of what PATCH sustained in the http-api runs on this machine. */
const RATE = 50;

/**
 * Live lag on the embedded stack: edits at a steady rate for SECONDS; after each PATCH answers,
 * a GET with `?minPosition=` waits until the projections have applied it. The lag is PATCH
 * answered → view answered, against a plain GET of the same view (the round trip alone).
 */
export default function run(): Promise<BenchReport> {
  return withBenchApi('live-lag', async (api) => {
    const { url } = api;
    const owner = { authorization: `Bearer ${api.owner}` };
    const integration = { authorization: `Bearer ${api.integration}` };
    const ids: string[] = [];
    for (let i = 0; i < CONTACTS; i++) {
      const response = await fetch(`${url}/v1/channel-contacts`, {
        method: 'POST',
        headers: { ...integration, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'telegram', channelContactId: `lag-${i}`, name: `Lag Person ${i}` }),
      });
      ids.push(((await response.json()) as { contactId: string }).contactId);
    }
    const plain: number[] = [];
    const lags: number[] = [];
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let turn = 0; performance.now() - started < SECONDS * 1000; turn++) {
      const id = ids[turn % ids.length]!;
      inFlight.push(
        (async () => {
          const patched = await fetch(`${url}/v1/contacts/${id}`, {
            method: 'PATCH',
            headers: { ...owner, 'content-type': 'application/json' },
            body: JSON.stringify({ name: `Lag Edit ${turn}` }),
          });
          const { position } = (await patched.json()) as { position: number };
          const answered = performance.now();
          const view = await fetch(`${url}/v1/contacts/${id}?minPosition=${position}`, { headers: owner });
          if (view.headers.get('x-read-consistency') === 'stale') throw new Error(`position ${position} not visible within the wait`);
          await view.arrayBuffer();
          lags.push(performance.now() - answered);
          const plainStarted = performance.now();
          await (await fetch(`${url}/v1/contacts/${id}`, { headers: owner })).arrayBuffer();
          plain.push(performance.now() - plainStarted);
        })(),
      );
      const next = started + ((turn + 1) * 1000) / RATE;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
    await Promise.all(inFlight);
    const p = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.ceil((q / 100) * values.length) - 1]!;
    return {
      name: `Live lag, embedded, ${RATE} edits/s for ${SECONDS} s (${lags.length} edits), PATCH answered → view with the edit answered`,
      baselineLabel: 'a plain GET of the view (the round trip alone), p50',
      unit: 'ms',
      rows: [
        { label: `plain GET, p50 (p99 ${p(plain, 99).toFixed(1)} ms)`, value: p(plain, 50), ratio: 1 },
        { label: 'lag, p50', value: p(lags, 50), ratio: p(lags, 50) / p(plain, 50) },
        { label: 'lag, p99', value: p(lags, 99), ratio: p(lags, 99) / p(plain, 50) },
      ],
    };
  });
}
