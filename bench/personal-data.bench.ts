import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { v4 as uuid } from 'uuid';
import type { EventStore, NewEvent } from '../libs/event-store/event-store.port.js';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store.js';
import { CachedKeyStore } from '../libs/personal-data/cached-key-store.js';
import { PersonalDataEventStore } from '../libs/personal-data/personal-data-event-store.js';
import { SqliteKeyStore } from '../libs/personal-data/sqlite/sqlite-key-store.js';
import type { BenchReport } from './bench-report.js';

/** Each case runs for this long; eight cases keep the benchmark around 15 s. */
const CASE_DURATION_MS = 1_500;
const CONTACTS = 1_000;
const READ_BATCH = 500;

/**
 * What crypto-shredding costs: the same contact events appended and read back through the
 * plain SQLite log (the baseline) and through the encrypting decorator, with the key cache
 * (as the apps run it) and without it (every key read from keys.sqlite).
 */
export default async function run(): Promise<BenchReport[]> {
  const dir = mkdtempSync(join(tmpdir(), 'personal-data-bench-'));
  const keys = SqliteKeyStore.open(join(dir, 'keys.sqlite'));
  try {
    const plainLog = SqliteEventStore.open(join(dir, 'plain.sqlite'));
    const sealedLog = SqliteEventStore.open(join(dir, 'sealed.sqlite'));
    const cached = new PersonalDataEventStore(sealedLog, new CachedKeyStore(keys));
    const uncached = new PersonalDataEventStore(sealedLog, keys);

    const plainAppends = await appends(plainLog);
    const newContacts = await appendsToNewContacts(new PersonalDataEventStore(SqliteEventStore.open(join(dir, 'new.sqlite')), keys));
    const cachedAppends = await appends(cached);
    const uncachedAppends = await appends(uncached);
    const appendReport: BenchReport = {
      name: 'Crypto-shredding: appends of one contact event (SQLite log)',
      baselineLabel: 'plain SQLite log, no encryption',
      unit: 'events/s',
      rows: [
        { label: 'plain SQLite log, no encryption', value: plainAppends, ratio: 1 },
        { label: 'sealed, keys cached (as the apps run)', value: cachedAppends, ratio: cachedAppends / plainAppends },
        { label: 'sealed, every key read from keys.sqlite', value: uncachedAppends, ratio: uncachedAppends / plainAppends },
        { label: "sealed, first event of a new contact (its key created, fsync'd)", value: newContacts, ratio: newContacts / plainAppends },
      ],
    };

    const plainReads = await reads(plainLog);
    const cachedReads = await reads(cached);
    const uncachedReads = await reads(uncached);
    const plainStreams = await streamReads(plainLog);
    const cachedStreams = await streamReads(cached);
    const readReport: BenchReport = {
      name: `Crypto-shredding: reads (whole log in pages of ${READ_BATCH}, as projections; one stream, as commands)`,
      baselineLabel: 'plain SQLite log, pages of the whole log',
      unit: 'events/s',
      rows: [
        { label: 'plain SQLite log, pages of the whole log', value: plainReads, ratio: 1 },
        { label: 'opened, keys cached', value: cachedReads, ratio: cachedReads / plainReads },
        { label: 'opened, every page reads its keys from keys.sqlite', value: uncachedReads, ratio: uncachedReads / plainReads },
        { label: 'plain SQLite log, one contact stream', value: plainStreams, ratio: plainStreams / plainReads },
        { label: 'opened, one contact stream, keys cached', value: cachedStreams, ratio: cachedStreams / plainReads },
      ],
    };
    await cached.close();
    await plainLog.close();
    return [appendReport, readReport];
  } finally {
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function appends(store: EventStore): Promise<number> {
  let events = 0;
  const elapsed = await runFor(async () => {
    await store.appendToStream(`contact-${events % CONTACTS}`, [contactEvent(events % CONTACTS)]);
    events++;
  });
  return events / elapsed;
}

async function appendsToNewContacts(store: EventStore): Promise<number> {
  let events = 0;
  const elapsed = await runFor(async () => {
    const contact = `new-${uuid()}`;
    await store.appendToStream(`contact-${contact}`, [contactEvent(contact)]);
    events++;
  });
  await store.close();
  return events / elapsed;
}

async function reads(store: EventStore): Promise<number> {
  const head = await store.headPosition();
  let events = 0;
  let after = 0;
  const elapsed = await runFor(async () => {
    const page = await store.readAll({ after, maxCount: READ_BATCH });
    events += page.length;
    after = page.length === READ_BATCH && after + READ_BATCH < head ? page.at(-1)!.position : 0;
  });
  return events / elapsed;
}

async function streamReads(store: EventStore): Promise<number> {
  let events = 0;
  let calls = 0;
  const elapsed = await runFor(async () => {
    events += (await store.readStream(`contact-${calls++ % CONTACTS}`)).length;
  });
  return events / elapsed;
}

async function runFor(step: () => Promise<void>): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < CASE_DURATION_MS) await step();
  return (performance.now() - started) / 1000;
}

/** A channel report of a contact: five personal values, as ChannelDataReceived carries them. */
function contactEvent(contact: number | string): NewEvent {
  return {
    id: uuid(),
    type: 'ChannelDataReceived',
    data: { personal: { values: { name: 'Anna Müller', phone: '+15551234567', email: 'anna.mueller@mail.example.com', country: 'DE', language: 'de' } }, withdrawn: [] },
    metadata: {
      workspace: 'ws-1',
      actor: { id: 'connector-1', role: 'integration' },
      source: 'channel',
      schemaVersion: 2,
      occurredAt: new Date().toISOString(),
      personalDataKey: `contact-${contact}`,
    },
  };
}


