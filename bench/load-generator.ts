import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/**
 * The load generator, in a process of its own so that it takes no CPU from the server it
 * measures: `node load-generator.js <spec.json>` runs autocannon and prints its figures as JSON.
 */
export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  /** Requests per second over all connections; unlimited when absent. */
  rate?: number;
  /** Sent in turn, round after round. */
  requests: Array<{ method: 'GET' | 'POST' | 'PATCH'; path: string; headers?: Record<string, string>; body?: string }>;
}

export interface LoadResult {
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number };
}

const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadSpec;
let turn = 0;
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.seconds,
  ...(spec.rate ? { overallRate: spec.rate } : {}),
  requests: [{ setupRequest: () => ({ headers: {}, ...spec.requests[turn++ % spec.requests.length]! }) }],
});
if (result.non2xx > 0 || result.errors > 0) {
  console.error(`${result.non2xx} non-2xx answers and ${result.errors} errors from ${spec.requests[0]!.path}`);
  process.exit(1);
}
const answer: LoadResult = { requestsPerSecond: result.requests.average, latencyMs: { p50: result.latency.p50, p99: result.latency.p99 } };
console.log(JSON.stringify(answer));
