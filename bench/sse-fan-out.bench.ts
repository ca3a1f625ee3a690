import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { mintToken } from '../libs/auth/tokens.js';
import type { BenchReport } from './bench-report.js';
import { BENCH_API_ENV, BENCH_SECRET } from './bench-api.js';

const API_MAIN = fileURLToPath(new URL('../apps/api/main.js', import.meta.url));
const FAN_OUTS = [1, 100, 1_000];
const EDITS = 5;

/**
 * Live updates: N clients watch one contact on one API process (embedded stack, its own
 * process); the time from an edit's answer until the last client has the new view, at 1 client
 * (the baseline), 100 and 1,000.
 */
export default async function run(): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'sse-fan-out-bench-'));
  const port = await freePort();
  const api = spawn(process.execPath, [API_MAIN], {
    env: { ...process.env, DATA_DIR: dir, PORT: String(port), ...BENCH_API_ENV, MONGODB_URI: '', EVENTSTORE_CONNECTION_STRING: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  api.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  try {
    while (!output.includes('contact-profiles API on')) {
      if (api.exitCode !== null) throw new Error(`the API did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const base = `http://127.0.0.1:${port}`;
    const owner = await mintToken({ sub: 'owner-1', workspace: 'acme', role: 'owner' }, BENCH_SECRET, '1h');
    const integration = await mintToken({ sub: 'integration-1', workspace: 'acme', role: 'integration' }, BENCH_SECRET, '1h');
    const registered = (await (
      await fetch(`${base}/v1/channel-contacts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${integration}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'telegram', channelContactId: 'fan-out', name: 'Ann' }),
      })
    ).json()) as { contactId: string };

    const rows: Array<{ label: string; value: number }> = [];
    for (const clients of FAN_OUTS) {
      const counters = { received: 0 };
      const controllers: AbortController[] = [];
      const readers: Array<Promise<void>> = [];
      for (let i = 0; i < clients; i++) {
        const controller = new AbortController();
        controllers.push(controller);
        const response = await fetch(`${base}/v1/live/contacts?ids=${registered.contactId}`, {
          headers: { authorization: `Bearer ${owner}`, accept: 'text/event-stream' },
          signal: controller.signal,
        });
        readers.push(countContactMessages(response, counters));
      }
      const delays: number[] = [];
      for (let edit = 0; edit < EDITS; edit++) {
        const before = counters.received;
        const started = performance.now();
        await fetch(`${base}/v1/contacts/${registered.contactId}`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Ann ${clients}-${edit}` }),
        });
        while (counters.received < before + clients) await new Promise((resolve) => setImmediate(resolve));
        delays.push(performance.now() - started);
      }
      controllers.forEach((controller) => controller.abort());
      await Promise.allSettled(readers);
      delays.sort((a, b) => a - b);
      rows.push({ label: `${clients.toLocaleString('en')} client(s): median delay edit → last client`, value: delays[Math.floor(delays.length / 2)]! });
    }
    const baseline = rows[0]!.value;
    return {
      name: 'SSE fan-out of live contact updates (embedded stack, API in its own process)',
      baselineLabel: '1 watching client',
      unit: 'ms',
      rows: rows.map((row) => ({ ...row, ratio: row.value / baseline })),
    };
  } finally {
    api.kill('SIGTERM');
    await once(api, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function countContactMessages(response: Response, counters: { received: number }): Promise<void> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      counters.received += value.split('event: contact\n').length - 1;
    }
  } catch {
    // aborted at the end of the round
  }
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}
