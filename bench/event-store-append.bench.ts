import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { v4 as uuid } from 'uuid';
import type { NewEvent } from '../libs/event-store/event-store.port.js';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store.js';
import type { BenchReport } from './bench-report.js';

/** Each case runs for this long; four cases keep the whole benchmark well under 20 s. */
const CASE_DURATION_MS = 2_500;
const STREAMS = 1_000;
const BATCH_SIZE = 100;
const CONCURRENT_APPENDERS = 10;

const BASELINE = 'raw better-sqlite3 INSERT, 1 row per transaction';


/** Appends per second to the SQLite event store, against raw INSERTs of the same rows into the same engine. */
export default async function run(): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'event-store-append-bench-'));
  try {
    const measured: Array<{ label: string; eventsPerSec: number }> = [
      { label: BASELINE, eventsPerSec: rawInserts(join(dir, 'raw-single.sqlite'), 1) },
      { label: `raw better-sqlite3 INSERT, ${BATCH_SIZE} rows per transaction`, eventsPerSec: rawInserts(join(dir, 'raw-batch.sqlite'), BATCH_SIZE) },
      { label: 'appendToStream, 1 event per call, expected revision', eventsPerSec: await singleAppends(join(dir, 'single.sqlite')) },
      { label: `appendToStream, ${BATCH_SIZE} events per call`, eventsPerSec: await batchedAppends(join(dir, 'batch.sqlite')) },
      {
        label: `appendToStream, 1 event per call, ${CONCURRENT_APPENDERS} appenders at once (group commit)`,
        eventsPerSec: await concurrentAppends(join(dir, 'concurrent.sqlite')),
      },
    ];
    const baseline = measured[0].eventsPerSec;
    return {
      name: 'EventStore append (SQLite)',
      baselineLabel: BASELINE,
      unit: 'events/s',
      rows: measured.map((m) => ({ label: m.label, value: m.eventsPerSec, ratio: m.eventsPerSec / baseline })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function singleAppends(file: string): Promise<number> {
  const store = SqliteEventStore.open(file);
  const revisions = new Array<number | 'no_stream'>(STREAMS).fill('no_stream');
  let events = 0;
  const elapsed = await runFor(async () => {
    const stream = events % STREAMS;
    const result = await store.appendToStream(`contact-${stream}`, [newEvent()], { expectedRevision: revisions[stream] });
    revisions[stream] = result.nextExpectedRevision;
    events++;
  });
  await store.close();
  return events / elapsed;
}

/** Appenders that each append one event at a time to streams of their own, as concurrent requests do. */
async function concurrentAppends(file: string): Promise<number> {
  const store = SqliteEventStore.open(file);
  let events = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENT_APPENDERS }, async (_, appender) => {
      for (let revision = 0; performance.now() - started < CASE_DURATION_MS; revision++) {
        await store.appendToStream(`contact-${appender}`, [newEvent()], { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 });
        events++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await store.close();
  return events / elapsed;
}

async function batchedAppends(file: string): Promise<number> {
  const store = SqliteEventStore.open(file);
  let events = 0;
  const elapsed = await runFor(async () => {
    const batch = Array.from({ length: BATCH_SIZE }, newEvent);
    await store.appendToStream(`contact-${uuid()}`, batch, { expectedRevision: 'no_stream' });
    events += BATCH_SIZE;
  });
  await store.close();
  return events / elapsed;
}

/** The same rows, pragmas and unique keys as the event store, without its revision checks. */
function rawInserts(file: string, rowsPerTransaction: number): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (
    position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
    revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
    recorded_at TEXT NOT NULL, UNIQUE (stream_id, revision))`);
  const insert = db.prepare('INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertMany = db.transaction((rows: NewEvent[], stream: string, firstRevision: number) => {
    const recordedAt = new Date().toISOString();
    rows.forEach((e, i) =>
      insert.run(e.id, stream, firstRevision + i, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), recordedAt),
    );
  });
  let events = 0;
  const started = performance.now();
  while (performance.now() - started < CASE_DURATION_MS) {
    const stream = rowsPerTransaction === 1 ? events % STREAMS : events;
    const firstRevision = rowsPerTransaction === 1 ? Math.floor(events / STREAMS) : 0;
    insertMany(Array.from({ length: rowsPerTransaction }, newEvent), `contact-${stream}`, firstRevision);
    events += rowsPerTransaction;
  }
  const elapsed = (performance.now() - started) / 1000;
  db.close();
  return events / elapsed;
}

/** Calls `step` one call after the other for CASE_DURATION_MS; returns the seconds taken. */
async function runFor(step: () => Promise<void>): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < CASE_DURATION_MS) await step();
  return (performance.now() - started) / 1000;
}

function newEvent(): NewEvent {
  return {
    id: uuid(),
    type: 'ContactNameEdited',
    data: { contactId: uuid(), name: { from: 'Ann', to: 'Anna Müller' } },
    metadata: { workspace: 'ws-1', actor: { id: 'agent-1', role: 'agent' }, source: 'agent', schemaVersion: 1 },
  };
}
