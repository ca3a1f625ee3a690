import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EventStore, RecordedEvent } from '../libs/event-store/event-store.port.js';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store.js';
import type { DocumentStore } from '../libs/document-store/document-store.port.js';
import { SqliteDocumentStore } from '../libs/document-store/sqlite/sqlite-document-store.js';
import { REBUILD_BATCH_SIZE, rebuildProjection, type Projection } from '../libs/projections/index.js';
import { CONTACT_PROJECTIONS } from '../libs/contacts/projections/contact-projections.js';
import type { BenchReport } from './bench-report.js';
import { withMongoDbStore } from './ferretdb.js';
import { syntheticContactEvents } from './synthetic-contacts.js';

/**
 * Per store, so that each run stays well under a minute: FerretDB writes an order of magnitude
 * slower than the embedded store. A rebuild inserts what it knows is new (owned-collections.ts),
 * so its rate no longer falls as the read model grows (FerretDB: 1,982 log events/s at 150
 * contacts, 1,765 at 1,000; it was 51 at 150 with a guarded upsert, a full scan, per document).
 */
const EMBEDDED_CONTACTS = 5_000;
const FERRETDB_CONTACTS = 1_000;
/** The rebuild's own batch size, also the page size of the raw read it is compared with. */
const BATCH_SIZE = REBUILD_BATCH_SIZE;

/**
 * Catch-up of the contact projections from an empty read model over a log of synthetic
 * contacts (≈6 events each) in SQLite, in log events per second, on each document store
 * against the rate at which the same store bulk-inserts as many plain documents.
 */
export default async function run(): Promise<BenchReport[]> {
  return [
    await withEmbeddedStore((store) => catchUpReport('SqliteDocumentStore', store, EMBEDDED_CONTACTS)),
    await withMongoDbStore('catch_up', (store) => catchUpReport('FerretDB', store, FERRETDB_CONTACTS)),
  ];
}

async function catchUpReport(storeName: string, store: DocumentStore, contacts: number): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'projection-catch-up-bench-'));
  const log = SqliteEventStore.open(join(dir, 'events.sqlite'));
  try {
    for (let start = 0; start < contacts; start += 500) {
      const group = Array.from({ length: Math.min(500, contacts - start) }, (_, i) => syntheticContactEvents(start + i));
      await Promise.all(group.map(({ streamId, events }) => log.appendToStream(streamId, events, { expectedRevision: 'no_stream' })));
    }
    return await measureCatchUp(storeName, store, log, contacts);
  } finally {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureCatchUp(storeName: string, store: DocumentStore, log: EventStore, contacts: number): Promise<BenchReport> {
  const events = await log.readAll();
  const baselineLabel = `${storeName} insertMany of ${events.length.toLocaleString('en-US')} event-sized documents, ${BATCH_SIZE} per call (docs/s)`;
  const baseline = await bulkInsertRate(store, events);
  const measured = [
    ...CONTACT_PROJECTIONS.map((projection) => ({ label: `rebuildProjection ${projection.name}`, projections: [projection] })),
    { label: 'every rebuild at once (log events/s)', projections: CONTACT_PROJECTIONS },
  ];
  const rows = [{ label: 'insertMany, the baseline (docs/s)', value: baseline, ratio: 1 }];
  const readRate = await logReadRate(log);
  rows.push({ label: `raw read of the log, readAll in pages of ${BATCH_SIZE} (events/s)`, value: readRate, ratio: readRate / baseline });
  for (const { label, projections } of measured) {
    const { eventsPerSec, seconds } = await catchUp(log, store, projections);
    rows.push({ label: label + (projections.length === 1 ? written(await documentsOf(store, projections[0]!), seconds, baseline) : ''), value: eventsPerSec, ratio: eventsPerSec / baseline });
  }
  return {
    name: `Projection catch-up, ${storeName}, ${contacts.toLocaleString('en-US')} contacts / ${events.length.toLocaleString('en-US')} events in SQLite`,
    baselineLabel,
    unit: 'events/s',
    rows,
  };
}

/** Log events per second of replaying the whole log into fresh collections, the projections side by side. */
async function catchUp(log: EventStore, store: DocumentStore, projections: readonly Projection[]): Promise<{ eventsPerSec: number; seconds: number }> {
  const started = performance.now();
  const [result] = await Promise.all(projections.map((projection) => rebuildProjection(log, store, projection, { batchSize: BATCH_SIZE })));
  const seconds = (performance.now() - started) / 1000;
  return { eventsPerSec: result!.events / seconds, seconds };
}

/** The documents a projection's collections hold. */
async function documentsOf(store: DocumentStore, projection: Projection): Promise<number> {
  const counts = await Promise.all(projection.collections.map((name) => store.collection(name).count({})));
  return counts.reduce((sum, count) => sum + count, 0);
}

/**
 * A rebuild writes one document per event or more (an audit entry per changed field), or fewer
 * (one per contact): its documents per second, the baseline's own unit, beside its events per second.
 */
function written(documents: number, seconds: number, baseline: number): string {
  if (documents === 0) return ' (no document: nothing it folds in these contacts)';
  const perSecond = documents / seconds;
  return ` (${documents.toLocaleString('en-US')} documents: ${Math.round(perSecond).toLocaleString('en-US')} documents/s, ×${(perSecond / baseline).toFixed(2)})`;
}

/** Events per second of reading the whole log page by page, as a catch-up does without applying anything. */
async function logReadRate(log: EventStore): Promise<number> {
  const started = performance.now();
  let events = 0;
  for (let after = 0; ; ) {
    const page = await log.readAll({ after, maxCount: BATCH_SIZE });
    if (page.length === 0) break;
    events += page.length;
    after = page.at(-1)!.position;
  }
  return events / ((performance.now() - started) / 1000);
}

/** One plain document per event (its id, stream, type, data and metadata) into a fresh collection. */
async function bulkInsertRate(store: DocumentStore, events: readonly RecordedEvent[]): Promise<number> {
  const collection = store.collection<RecordedEvent & { _id: string }>('bulk_insert_baseline');
  const documents = events.map((event) => ({ _id: event.id, ...event }));
  const started = performance.now();
  for (let start = 0; start < documents.length; start += BATCH_SIZE) await collection.insertMany(documents.slice(start, start + BATCH_SIZE));
  const docsPerSec = documents.length / ((performance.now() - started) / 1000);
  await store.dropCollection('bulk_insert_baseline');
  return docsPerSec;
}

/** The embedded read-model store in a file of its own, removed afterwards. */
async function withEmbeddedStore<R>(use: (store: DocumentStore) => Promise<R>): Promise<R> {
  const dir = mkdtempSync(join(tmpdir(), 'read-models-bench-'));
  const store = SqliteDocumentStore.open(join(dir, 'read-models.sqlite'));
  try {
    return await use(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
