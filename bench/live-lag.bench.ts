import { fileURLToPath } from 'node:url';
import { percentile, type BenchReport } from './bench-report.js';
import { withBenchApi } from './bench-api.js';
import type { LiveLagResult, LiveLagSpec } from './live-lag-client.js';
import { generateLoad, runInOwnProcess } from './load.js';

const CONTACTS = 100;
/** `LIVE_LAG_SECONDS=300` gives the five minutes of the target; the full run keeps to 20 s. */
const SECONDS = Number(process.env.LIVE_LAG_SECONDS ?? 20);
const WINDOW_SECONDS = Math.max(5, Math.round(SECONDS / 4));
/** Run before SECONDS and reported apart: the client's connections open and both processes warm up. */
const WARMUP_SECONDS = 5;
const CLIENT = fileURLToPath(new URL('./live-lag-client.js', import.meta.url));

/**
 * Live lag on the embedded stack: PATCH's top rate is measured first (4 s, autocannon), then edits
 * run at half that rate for WARMUP_SECONDS + SECONDS from a client in a process of its own
 * (live-lag-client.ts); the warm-up is reported apart. The
 * lag is PATCH answered → view with the edit answered, against a plain GET of the same view (the
 * round trip alone); its p99 per window of the run shows whether it stays flat.
 */
export default function run(): Promise<BenchReport> {
  return withBenchApi('live-lag', async (api) => {
    const { url } = api;
    const contactIds: string[] = [];
    for (let i = 0; i < CONTACTS; i++) {
      const response = await fetch(`${url}/v1/channel-contacts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.integration}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'telegram', channelContactId: `lag-${i}`, name: `Lag Person ${i}` }),
      });
      contactIds.push(((await response.json()) as { contactId: string }).contactId);
    }
    const headers = { authorization: `Bearer ${api.owner}`, 'content-type': 'application/json' };
    const top = await generateLoad({
      url,
      connections: 10,
      seconds: 4,
      // Two rounds of names, so that no edit repeats the name it finds (a no-op appends nothing).
      requests: [1, 2].flatMap((round) => contactIds.map((id) => ({ method: 'PATCH' as const, path: `/v1/contacts/${id}`, headers, body: JSON.stringify({ name: `Top Rate ${round}` }) }))),
    });
    const ratePerSecond = Math.max(1, Math.floor(top.requestsPerSecond / 2));
    await projectionsAtHead(url, api.owner, contactIds[0]!);
    const run = await runInOwnProcess<LiveLagResult>(CLIENT, { url, ownerToken: api.owner, contactIds, ratePerSecond, seconds: WARMUP_SECONDS + SECONDS } satisfies LiveLagSpec);
    const warmupSamples = run.samples.filter((sample) => sample.at < WARMUP_SECONDS * 1000);
    const warmup = warmupSamples.map((sample) => sample.lag);
    const samples = run.samples.filter((sample) => sample.at >= WARMUP_SECONDS * 1000).map((sample) => ({ ...sample, at: sample.at - WARMUP_SECONDS * 1000 }));
    const lags = samples.map((sample) => sample.lag);
    const plain = samples.map((sample) => sample.plain);
    const plainP50 = percentile(plain, 50);
    const windows = Array.from({ length: Math.ceil(SECONDS / WINDOW_SECONDS) }, (_, w) => samples.filter((sample) => Math.floor(sample.at / 1000 / WINDOW_SECONDS) === w).map((sample) => sample.lag)).filter(
      (window) => window.length > 0,
    );
    return {
      name: `Live lag, embedded, ${ratePerSecond} edits/s (half of PATCH's top rate, ${Math.round(top.requestsPerSecond)}/s) for ${SECONDS} s (${samples.length} edits), PATCH answered → view with the edit answered`,
      baselineLabel: 'a plain GET of the view (the round trip alone), p50',
      unit: 'ms',
      rows: [
        { label: `plain GET, p50 (p99 ${percentile(plain, 99).toFixed(1)} ms)`, value: plainP50, ratio: 1 },
        {
          label: `lag in the ${WARMUP_SECONDS} s of warm-up before, p99 (p50 ${percentile(warmup, 50).toFixed(1)} ms; plain GET p99 ${percentile(warmupSamples.map((sample) => sample.plain), 99).toFixed(1)} ms)`,
          value: percentile(warmup, 99),
          ratio: percentile(warmup, 99) / plainP50,
        },
        { label: 'lag, p50', value: percentile(lags, 50), ratio: percentile(lags, 50) / plainP50 },
        { label: 'lag, p99', value: percentile(lags, 99), ratio: percentile(lags, 99) / plainP50 },
        ...windows.map((window, w) => ({ label: `lag, p99 from ${w * WINDOW_SECONDS} s to ${(w + 1) * WINDOW_SECONDS} s (p50 ${percentile(window, 50).toFixed(1)} ms)`, value: percentile(window, 99), ratio: percentile(window, 99) / plainP50 })),
      ],
    };
  });
}

/** Waits until the projections have applied the log up to its head (the top-rate burst leaves a backlog): one more edit, read back with `?minPosition=` until it is not stale. */
async function projectionsAtHead(url: string, token: string, contactId: string): Promise<void> {
  const headers = { authorization: `Bearer ${token}` };
  const patched = await fetch(`${url}/v1/contacts/${contactId}`, { method: 'PATCH', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'At Head' }) });
  const { position } = (await patched.json()) as { position: number };
  while ((await fetch(`${url}/v1/contacts/${contactId}?minPosition=${position}`, { headers })).headers.get('x-read-consistency') === 'stale');
}
