import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EventStore, NewEvent } from '../libs/event-store/event-store.port.js';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store.js';
import type { DocumentStore } from '../libs/document-store/document-store.port.js';
import { SqliteDocumentStore } from '../libs/document-store/sqlite/sqlite-document-store.js';
import { contactIdFor, contactStreamId } from '../libs/contacts/index.js';
import { channelDataReceived } from '../libs/contacts/channel-data-received.js';
import { contactViewsProjection } from '../libs/contacts/projections/contact-views/contact-views.projection.js';
import { MERGE_SUGGESTIONS_COLLECTION, mergeSuggestionsProjection } from '../libs/profiles/projections/merge-suggestions/merge-suggestions.projection.js';
import type { Projection } from '../libs/projections/projection.js';
import { rebuildProjection } from '../libs/projections/rebuild-projection.js';
import { EVENT_SCHEMAS } from '../apps/shared/event-log.js';
import type { BenchReport } from './bench-report.js';
import { withMongoDbStore } from './ferretdb.js';
import { syntheticContact, syntheticContactEvents, WORKSPACE } from './synthetic-contacts.js';

const EMBEDDED_CONTACTS = 10_000;
const FERRETDB_CONTACTS = 500;
/** Every LOOKALIKE_EVERY-th contact also writes from the web chat with its phone or e-mail. */
const LOOKALIKE_EVERY = 5;
const BATCH_SIZE = 500;

/** Reads the log and records its checkpoint, writing nothing else: plain catch-up, the baseline. */
const plainCatchUp: Projection = { name: 'plain-catch-up', collections: [], setup: async () => undefined, applyBatch: async () => undefined };

/**
 * The merge-suggestions projection rebuilt over a log of synthetic contacts (one in five with a
 * web-chat lookalike sharing its phone or e-mail), in log events per second, against plain
 * catch-up of the same log (read, batch, checkpoint; nothing projected), and beside the
 * contact-views projection for scale.
 */
export default async function run(): Promise<BenchReport[]> {
  return [
    await withEmbeddedStore((store) => suggestionReport('SqliteDocumentStore', store, EMBEDDED_CONTACTS)),
    await withMongoDbStore('merge_suggestions', (store) => suggestionReport('FerretDB', store, FERRETDB_CONTACTS)),
  ];
}

async function suggestionReport(storeName: string, store: DocumentStore, contacts: number): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'merge-suggestions-bench-'));
  const log = SqliteEventStore.open(join(dir, 'events.sqlite'));
  try {
    let lookalikes = 0;
    for (let i = 0; i < contacts; i++) {
      const { streamId, events } = syntheticContactEvents(i);
      await log.appendToStream(streamId, events, { expectedRevision: 'no_stream' });
      if (i % LOOKALIKE_EVERY === 0) {
        const lookalike = lookalikeOf(i);
        await log.appendToStream(lookalike.streamId, lookalike.events, { expectedRevision: 'no_stream' });
        lookalikes++;
      }
    }
    const events = (await log.readAll()).length;
    const baseline = await catchUp(log, store, plainCatchUp);
    const views = await catchUp(log, store, contactViewsProjection);
    const suggestions = await catchUp(log, store, mergeSuggestionsProjection);
    const found = await store.collection(MERGE_SUGGESTIONS_COLLECTION).count({});
    const total = contacts + lookalikes;
    return {
      name: `Merge suggestions catch-up, ${storeName}, ${total.toLocaleString('en-US')} contacts (${lookalikes.toLocaleString('en-US')} lookalikes, ${found.toLocaleString('en-US')} suggestions) / ${events.toLocaleString('en-US')} events`,
      baselineLabel: 'plain catch-up of the same log: read, batch and checkpoint, nothing projected (events/s)',
      unit: 'events/s',
      rows: [
        { label: 'plain catch-up, the baseline', value: baseline.eventsPerSec, ratio: 1 },
        { label: 'contact-views rebuild (for scale)', value: views.eventsPerSec, ratio: views.eventsPerSec / baseline.eventsPerSec },
        {
          label: `merge-suggestions rebuild (${perTenThousand(suggestions.seconds, total)} s per 10k contacts, plain catch-up ${perTenThousand(baseline.seconds, total)} s)`,
          value: suggestions.eventsPerSec,
          ratio: suggestions.eventsPerSec / baseline.eventsPerSec,
        },
      ],
    };
  } finally {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function perTenThousand(seconds: number, contacts: number): string {
  return ((seconds * 10_000) / contacts).toFixed(2);
}

async function catchUp(log: EventStore, store: DocumentStore, projection: Projection): Promise<{ eventsPerSec: number; seconds: number }> {
  const started = performance.now();
  const result = await rebuildProjection(log, store, projection, { batchSize: BATCH_SIZE });
  const seconds = (performance.now() - started) / 1000;
  return { eventsPerSec: result.events / seconds, seconds };
}

/** A web-chat contact of the i-th person, reporting its phone (even i) or e-mail (odd i). */
function lookalikeOf(i: number): { streamId: string; events: NewEvent[] } {
  const person = syntheticContact(i);
  const channelContactId = `visitor-${i}`;
  const contactId = contactIdFor(WORKSPACE, 'webchat', channelContactId);
  const values = i % 2 === 0 ? { phone: person.phone } : { email: person.email };
  const metadata = (type: string) => ({
    workspace: WORKSPACE,
    actor: { id: 'webchat-connector', role: 'integration' },
    source: 'channel',
    correlationId: randomUUID(),
    causationId: null,
    schemaVersion: EVENT_SCHEMAS.schemaVersionOf(type),
    occurredAt: new Date(Date.parse('2024-06-01T00:00:00Z') + i * 60_000).toISOString(),
  });
  return {
    streamId: contactStreamId(contactId),
    events: [
      { id: randomUUID(), type: 'ContactRegistered', data: { contactId, workspace: WORKSPACE, channel: 'webchat', personal: { channelContactId } }, metadata: metadata('ContactRegistered') },
      { id: randomUUID(), type: 'ChannelDataReceived', data: channelDataReceived(values).data, metadata: metadata('ChannelDataReceived') },
    ],
  };
}

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
