import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { v4 as uuid } from 'uuid';
import { mintToken } from '../libs/auth/tokens.js';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store.js';
import type { BenchReport } from './bench-report.js';
import { BENCH_API_ENV, BENCH_SECRET } from './bench-api.js';

const EVENTS = 50_000;
const PAGE = 500;
const API_MAIN = fileURLToPath(new URL('../apps/api/main.js', import.meta.url));

/**
 * GET /v1/events (the API in its own process, this one the consumer) against reading the same
 * SQLite log raw, page by page, in the same run: events delivered per second.
 */
export default async function run(): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'event-stream-bench-'));
  try {
    const store = SqliteEventStore.open(join(dir, 'events.sqlite'));
    for (let written = 0; written < EVENTS; written += 100) {
      await store.appendToStream(`contact-${uuid()}`, Array.from({ length: 100 }, () => newEvent()), { expectedRevision: 'no_stream' });
    }
    const raw = await rawRead(store);
    await store.close();

    const port = await freePort();
    const api = spawn(process.execPath, [API_MAIN], {
      env: { ...process.env, DATA_DIR: dir, PORT: String(port), ...BENCH_API_ENV, RUN_PROJECTIONS: 'false', MONGODB_URI: '', EVENTSTORE_CONNECTION_STRING: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    api.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    while (!output.includes('contact-profiles API on')) {
      if (api.exitCode !== null) throw new Error(`the API did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    try {
      const token = await mintToken({ sub: 'analytics', workspace: 'ws-1', role: 'integration' }, BENCH_SECRET, '1h');
      const url = `http://127.0.0.1:${port}/v1/events?from=0`;
      const ndjson = await httpRead(url, token, 'application/x-ndjson');
      const sse = await httpRead(url, token, 'text/event-stream');
      return {
        name: `Event stream of ${EVENTS.toLocaleString('en')} events (SQLite log; API in its own process)`,
        baselineLabel: 'raw readAll of the log in pages of 500, in this process',
        unit: 'events/s',
        rows: [
          { label: 'raw readAll (baseline)', value: raw, ratio: 1 },
          { label: 'GET /v1/events NDJSON', value: ndjson, ratio: ndjson / raw },
          { label: 'GET /v1/events SSE', value: sse, ratio: sse / raw },
        ],
      };
    } finally {
      api.kill('SIGTERM');
      await once(api, 'exit');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function rawRead(store: SqliteEventStore): Promise<number> {
  const started = performance.now();
  let read = 0;
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, maxCount: PAGE });
    if (page.length === 0) break;
    read += page.length;
    after = page[page.length - 1]!.position;
  }
  if (read !== EVENTS) throw new Error(`read ${read} events, expected ${EVENTS}`);
  return read / ((performance.now() - started) / 1000);
}

/** Reads the whole stream and counts events (NDJSON lines, or SSE `data:` lines). */
async function httpRead(url: string, token: string, accept: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept } });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let events = 0;
  let rest = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const lines = (rest + value).split('\n');
    rest = lines.pop()!;
    for (const line of lines) if (accept === 'text/event-stream' ? line.startsWith('data: ') : line.startsWith('{')) events++;
  }
  if (events !== EVENTS) throw new Error(`received ${events} events over HTTP (${accept}), expected ${EVENTS}`);
  return events / ((performance.now() - started) / 1000);
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

function newEvent() {
  return {
    id: uuid(),
    type: 'ContactFieldCleared',
    data: { field: 'language' },
    metadata: { workspace: 'ws-1', actor: { id: 'agent-1', role: 'agent' }, source: 'agent', correlationId: uuid(), causationId: null, schemaVersion: 1, occurredAt: new Date().toISOString() },
  };
}
