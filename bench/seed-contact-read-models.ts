import type { RecordedEvent } from '../libs/event-store/event-store.port.js';
import type { DocumentStore } from '../libs/document-store/document-store.port.js';
import { SqliteDocumentStore } from '../libs/document-store/sqlite/sqlite-document-store.js';
import { projectionCollections } from '../libs/projections/index.js';
import { contactSearchProjection } from '../libs/contacts/projections/contact-search/contact-search.projection.js';
import { contactViewsProjection } from '../libs/contacts/projections/contact-views/contact-views.projection.js';
import { syntheticContactEvents, type SyntheticContact } from './synthetic-contacts.js';

const PROJECTIONS = [contactViewsProjection, contactSearchProjection];
const CONTACTS_PER_GROUP = 200;

/**
 * Fills `contact_views` and `contact_search` with the documents the projections make of the
 * synthetic contacts `from` up to `count`, their events numbered as one log. Each group of contacts
 * is applied by the projections to a scratch SQLite store in memory, then bulk-inserted: a
 * contact's events all fall in one group, so its documents are final there, and a bulk insert
 * is the fastest write of every store.
 */
export async function seedContactReadModels(store: DocumentStore, count: number, from = 0): Promise<SyntheticContact[]> {
  for (const projection of PROJECTIONS) await projection.setup(projectionCollections(store, projection));
  const contacts: SyntheticContact[] = [];
  let position = from * 10;
  for (let start = from; start < count; start += CONTACTS_PER_GROUP) {
    const events: RecordedEvent[] = [];
    for (let i = start; i < Math.min(start + CONTACTS_PER_GROUP, count); i++) {
      const generated = syntheticContactEvents(i);
      contacts.push(generated.contact);
      generated.events.forEach((event, revision) =>
        events.push({ ...event, streamId: generated.streamId, revision, position: ++position, recordedAt: String(event.metadata.occurredAt) }),
      );
    }
    const scratch = SqliteDocumentStore.open(':memory:');
    for (const projection of PROJECTIONS) {
      await projection.applyBatch(events, projectionCollections(scratch, projection));
      for (const name of projection.collections) await store.collection(name).insertMany(await scratch.collection(name).find({}));
    }
    await scratch.close();
  }
  return contacts;
}
