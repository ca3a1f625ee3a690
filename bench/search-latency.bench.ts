import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DocumentStore } from '../libs/document-store/document-store.port.js';
import { SqliteDocumentStore } from '../libs/document-store/sqlite/sqlite-document-store.js';
import { CONTACT_SEARCH_COLLECTION } from '../libs/contacts/projections/contact-search/contact-search.projection.js';
import { searchContacts } from '../libs/contacts/projections/contact-search/search-contacts.js';
import { findContactViews } from '../libs/contacts/projections/contact-views/find-contact-views.js';
import { formatValue, percentile, type BenchReport } from './bench-report.js';
import { withMongoDbStore } from './ferretdb.js';
import { seedContactReadModels } from './seed-contact-read-models.js';
import { WORKSPACE, type SyntheticContact } from './synthetic-contacts.js';

/** The embedded store grows through these sizes, measured at each: search should stay flat. */
const EMBEDDED_SIZES = [1_000, 10_000, 100_000];
/** On FerretDB (SQLite backend) a search took ≈0.9 s at 1k contacts and ≈8 s at 10k: it grows with the collection. */
const FERRETDB_CONTACTS = 1_000;
const PAGE_SIZE = 20;
/** Each case stops at whichever comes first, after one uncounted warm-up call. */
const SAMPLES = 200;
const CASE_BUDGET_MS = 2_500;
const WARM_UP = 1;

type Expectation = 'some' | 'none';

const QUERY_KINDS: Array<{ kind: string; queryOf: (contact: SyntheticContact) => string; expect: Expectation }> = [
  { kind: 'name word prefix (3 letters)', queryOf: (contact) => contact.name.slice(0, 3), expect: 'some' },
  { kind: 'full name', queryOf: (contact) => contact.name, expect: 'some' },
  { kind: 'phone digits (last 7)', queryOf: (contact) => contact.phone.slice(-7), expect: 'some' },
  { kind: 'e-mail', queryOf: (contact) => contact.email, expect: 'some' },
  { kind: 'no match', queryOf: (contact) => `zzq${contact.id.slice(0, 6)}`, expect: 'none' },
];

/**
 * Latency of a search page (`searchContacts` then `findContactViews`, as `GET /v1/contacts?q=`
 * does) over a large workspace, per kind of query, each p50 against the p50 of fetching one
 * document by `_id` from the same collection of the same store.
 */
export default async function run(): Promise<BenchReport[]> {
  const reports: BenchReport[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'search-bench-'));
  const embedded = SqliteDocumentStore.open(join(dir, 'read-models.sqlite'));
  try {
    const contacts: SyntheticContact[] = [];
    for (const size of EMBEDDED_SIZES) {
      const seedStarted = performance.now();
      contacts.push(...(await seedContactReadModels(embedded, size, contacts.length)));
      reports.push(await latencyReport('SqliteDocumentStore', embedded, contacts, (performance.now() - seedStarted) / 1000));
    }
  } finally {
    await embedded.close();
    rmSync(dir, { recursive: true, force: true });
  }
  reports.push(
    await withMongoDbStore('search', async (store) => {
      const seedStarted = performance.now();
      const contacts = await seedContactReadModels(store, FERRETDB_CONTACTS);
      return latencyReport('FerretDB', store, contacts, (performance.now() - seedStarted) / 1000);
    }),
  );
  return reports;
}

async function latencyReport(storeName: string, store: DocumentStore, contacts: SyntheticContact[], seedSeconds: number): Promise<BenchReport> {
  const count = contacts.length;
  const sample = sampler(contacts);

  const byId = await latencies(() => store.collection(CONTACT_SEARCH_COLLECTION).findOne({ _id: sample().id }).then(() => undefined));
  const baselineLabel = `${storeName} findOne({_id}) on ${CONTACT_SEARCH_COLLECTION}, p50`;
  const rows = [{ label: `findOne({_id}) ${spreadOf(byId)}`, value: byId.p50, ratio: 1 }];
  const view = await latencies(() => findContactViews(store, WORKSPACE, [sample().id]).then(() => undefined));
  rows.push({ label: `view (findContactViews of one id) ${spreadOf(view)}`, value: view.p50, ratio: view.p50 / byId.p50 });
  for (const { kind, queryOf, expect } of QUERY_KINDS) {
    const measured = await latencies(() => searchPage(store, queryOf(sample()), expect));
    rows.push({ label: `${kind} ${spreadOf(measured)}`, value: measured.p50, ratio: measured.p50 / byId.p50 });
  }
  return {
    name: `Search latency, ${storeName}, ${count.toLocaleString('en-US')} contacts in one workspace (seeded in ${seedSeconds.toFixed(0)} s more), page of ${PAGE_SIZE}, value = p50`,
    baselineLabel,
    unit: 'ms',
    rows,
  };
}

/** One search page as the API answers it; throws when the query finds what it should not. */
async function searchPage(store: DocumentStore, q: string, expect: Expectation): Promise<void> {
  const { ids } = await searchContacts(store, { workspace: WORKSPACE, q, limit: PAGE_SIZE });
  const views = await findContactViews(store, WORKSPACE, ids);
  if ((views.length > 0) !== (expect === 'some')) throw new Error(`search for '${q}' found ${views.length} contacts`);
}

/** The contacts in a fixed pseudo-random order, so that every call asks for another one. */
function sampler(contacts: readonly SyntheticContact[]): () => SyntheticContact {
  let next = 0;
  return () => contacts[(next++ * 7_919 + 13) % contacts.length]!;
}

interface Latencies {
  p50: number;
  p95: number;
  p99: number;
  samples: number;
}

async function latencies(call: () => Promise<void>): Promise<Latencies> {
  for (let i = 0; i < WARM_UP; i++) await call();
  const durations: number[] = [];
  const started = performance.now();
  while (durations.length < SAMPLES && performance.now() - started < CASE_BUDGET_MS) {
    const callStarted = performance.now();
    await call();
    durations.push(performance.now() - callStarted);
  }
  return { p50: percentile(durations, 50), p95: percentile(durations, 95), p99: percentile(durations, 99), samples: durations.length };
}

function spreadOf({ p95, p99, samples }: Latencies): string {
  return `(p95 ${formatValue(p95)}, p99 ${formatValue(p99)} ms; ${samples} calls)`;
}
