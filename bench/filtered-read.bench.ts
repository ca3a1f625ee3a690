import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { v4 as uuid } from 'uuid';
import type { AllFilter, EventStore, NewEvent } from '../libs/event-store/event-store.port.js';
import { matchesAllFilter } from '../libs/event-store/eventstoredb/eventstoredb-mapping.js';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store.js';
import type { BenchReport } from './bench-report.js';

const EVENTS = 100_000;
/** One event in this many belongs to the category read (a `profile-` stream of type ProfileNoteAdded). */
const ONE_IN = 20;
const PAGE = 1_000;
const BASELINE = 'unfiltered readAll, filtered in the client (what the EventStoreDB adapter did with client 6.2.1)';

/**
 * Reading one category of a log (a rebuild of one projection, one consumer's stream): the
 * store filters, against reading everything and filtering in the process. Figures are the
 * category's events delivered per second, reading the whole log in pages of 1,000.
 */
export default async function run(): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'filtered-read-bench-'));
  const store = SqliteEventStore.open(join(dir, 'events.sqlite'));
  try {
    await seed(store);
    const byPrefix: AllFilter = { streamPrefixes: ['profile-'] };
    const byType: AllFilter = { eventTypes: ['ProfileNoteAdded'] };
    const measured = [
      { label: BASELINE, value: await readCategory(store, byPrefix, 'client') },
      { label: 'readAll filtered by stream prefix in the store', value: await readCategory(store, byPrefix, 'store') },
      { label: 'readAll filtered by event type in the store', value: await readCategory(store, byType, 'store') },
    ];
    const baseline = measured[0].value;
    return {
      name: `Filtered read of 1 event in ${ONE_IN} from a log of ${EVENTS.toLocaleString('en')} (SQLite)`,
      baselineLabel: 'client-side filter',
      unit: 'matching events/s',
      rows: measured.map((m) => ({ ...m, ratio: m.value / baseline })),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function seed(store: EventStore): Promise<void> {
  for (let written = 0; written < EVENTS; written += 100) {
    const contact = Array.from({ length: 100 - 100 / ONE_IN }, () => newEvent('ContactNameEdited'));
    const profile = Array.from({ length: 100 / ONE_IN }, () => newEvent('ProfileNoteAdded'));
    await store.appendToStream(`contact-${uuid()}`, contact, { expectedRevision: 'no_stream' });
    await store.appendToStream(`profile-${uuid()}`, profile, { expectedRevision: 'no_stream' });
  }
}

/** Reads the whole category page by page; returns its events per second. */
async function readCategory(store: EventStore, filter: AllFilter, where: 'client' | 'store'): Promise<number> {
  const started = performance.now();
  let matching = 0;
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, maxCount: PAGE, ...(where === 'store' && { filter }) });
    if (page.length === 0) break;
    matching += where === 'store' ? page.length : page.filter((event) => matchesAllFilter(event, filter)).length;
    after = page[page.length - 1].position;
  }
  if (matching !== EVENTS / ONE_IN) throw new Error(`read ${matching} events of the category, expected ${EVENTS / ONE_IN}`);
  return matching / ((performance.now() - started) / 1000);
}

function newEvent(type: string): NewEvent {
  return {
    id: uuid(),
    type,
    data: { contactId: uuid(), name: { from: 'Ann', to: 'Anna Müller' } },
    metadata: { workspace: 'ws-1', actor: { id: 'agent-1', role: 'agent' }, source: 'agent', schemaVersion: 1 },
  };
}
