import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApiApp } from '../apps/api/create-api-app.js';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store.js';
import type { BenchReport } from './bench-report.js';
import { syntheticContactEvents } from './synthetic-contacts.js';
import { benchApiConfig } from './bench-api.js';

/** Contacts of the logs (≈6 events each); the restart should take as long at each size. */
const SIZES = (process.env.BENCH_RESTART_CONTACTS ?? '1000,20000').split(',').map(Number);
const APPENDS_PER_GROUP = 500;

/**
 * Start of the embedded API on a DATA_DIR with a log of N contacts: the first start replays the
 * log into the read models (what every start did while they lived in memory); a restart finds
 * them and their checkpoints in DATA_DIR/read-models.sqlite. Both are timed until /health
 * shows every projection at the log's head.
 */
export default async function run(): Promise<BenchReport[]> {
  const reports: BenchReport[] = [];
  for (const contacts of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'restart-bench-'));
    try {
      const events = await writeLog(join(dir, 'events.sqlite'), contacts);
      const firstStart = await secondsToReady(dir, events);
      const restart = await secondsToReady(dir, events);
      reports.push({
        name: `Start of the embedded API, ${contacts.toLocaleString('en-US')} contacts / ${events.toLocaleString('en-US')} events`,
        baselineLabel: 'first start: the projections replay the whole log (s)',
        unit: 's',
        rows: [
          { label: 'first start (replay of the log)', value: firstStart, ratio: 1 },
          { label: 'restart (read models durable in DATA_DIR)', value: restart, ratio: restart / firstStart },
        ],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return reports;
}

async function writeLog(file: string, contacts: number): Promise<number> {
  const log = SqliteEventStore.open(file);
  let events = 0;
  for (let start = 0; start < contacts; start += APPENDS_PER_GROUP) {
    const group = Array.from({ length: Math.min(APPENDS_PER_GROUP, contacts - start) }, (_, i) => syntheticContactEvents(start + i));
    await Promise.all(group.map(({ streamId, events: batch }) => log.appendToStream(streamId, batch, { expectedRevision: 'no_stream' })));
    events += group.reduce((sum, { events: batch }) => sum + batch.length, 0);
  }
  await log.close();
  return events;
}

async function secondsToReady(dataDir: string, head: number): Promise<number> {
  const started = performance.now();
  const app = await createApiApp(benchApiConfig(dataDir), false);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = await app.getUrl();
  try {
    for (;;) {
      const health = (await (await fetch(`${url}/health`)).json()) as { projections: Record<string, number> };
      if (Object.values(health.projections).every((position) => position >= head)) return (performance.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await app.close();
  }
}
