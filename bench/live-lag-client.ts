import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * The live-lag client, in a process of its own (`node live-lag-client.js <spec.json>`): edits at a
 * steady rate; after each PATCH answers, a GET with `?minPosition=` waits until the projections have
 * applied it, then a plain GET of the same view measures the round trip alone. Prints the times.
 */
export interface LiveLagSpec {
  url: string;
  ownerToken: string;
  contactIds: string[];
  ratePerSecond: number;
  seconds: number;
}

export interface LiveLagResult {
  /** Per edit: ms since the start, PATCH answered → view with the edit answered, and the plain GET after it. */
  samples: Array<{ at: number; lag: number; plain: number }>;
}

const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LiveLagSpec;
const owner = { authorization: `Bearer ${spec.ownerToken}` };
const samples: LiveLagResult['samples'] = [];
const started = performance.now();
const inFlight: Promise<void>[] = [];
for (let turn = 0; performance.now() - started < spec.seconds * 1000; turn++) {
  const id = spec.contactIds[turn % spec.contactIds.length]!;
  inFlight.push(
    (async () => {
      const patched = await fetch(`${spec.url}/v1/contacts/${id}`, {
        method: 'PATCH',
        headers: { ...owner, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Lag Edit ${turn}` }),
      });
      if (!patched.ok) throw new Error(`PATCH answered ${patched.status}`);
      const { position } = (await patched.json()) as { position: number };
      const answered = performance.now();
      const view = await fetch(`${spec.url}/v1/contacts/${id}?minPosition=${position}`, { headers: owner });
      if (view.headers.get('x-read-consistency') === 'stale') throw new Error(`position ${position} not visible within the wait`);
      await view.arrayBuffer();
      const lag = performance.now() - answered;
      const plainStarted = performance.now();
      await (await fetch(`${spec.url}/v1/contacts/${id}`, { headers: owner })).arrayBuffer();
      samples.push({ at: answered - started, lag, plain: performance.now() - plainStarted });
    })(),
  );
  const next = started + ((turn + 1) * 1000) / spec.ratePerSecond;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
}
await Promise.all(inFlight);
const result: LiveLagResult = { samples };
console.log(JSON.stringify(result));
