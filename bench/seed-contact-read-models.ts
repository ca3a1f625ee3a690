import type { RecordedEvent } from '../libs/event-store/event-store.port.js';
import type { DocumentStore } from '../libs/read-models/document-store/document-store.port.js';
import { MemoryDocumentStore } from '../libs/read-models/document-store/memory/memory-document-store.js';
import { contactSearchProjection, contactViewsProjection, projectionCollections } from '../libs/read-models/projections/index.js';
import { syntheticContactEvents, type SyntheticContact } from './synthetic-contacts.js';

const PROJECTIONS = [contactViewsProjection, contactSearchProjection];
const CONTACTS_PER_GROUP = 200;

/**
 * Fills `contact_views` and `contact_search` with the documents the projections make of the
 * first `count` synthetic contacts, their events numbered as one log. Each group of contacts
 * is applied by the projections to a scratch in-memory store, then bulk-inserted: a contact's
 * events all fall in one group, so its documents are final there, and applying 100k contacts
 * in place would be quadratic on the memory store, whose guarded writes scan the collection.
 */
export async function seedContactReadModels(store: DocumentStore, count: number): Promise<SyntheticContact[]> {
  for (const projection of PROJECTIONS) await projection.setup(projectionCollections(store, projection));
  const contacts: SyntheticContact[] = [];
  let position = 0;
  for (let start = 0; start < count; start += CONTACTS_PER_GROUP) {
    const events: RecordedEvent[] = [];
    for (let i = start; i < Math.min(start + CONTACTS_PER_GROUP, count); i++) {
      const generated = syntheticContactEvents(i);
      contacts.push(generated.contact);
      generated.events.forEach((event, revision) =>
        events.push({ ...event, streamId: generated.streamId, revision, position: ++position, recordedAt: String(event.metadata.occurredAt) }),
      );
    }
    const scratch = new MemoryDocumentStore();
    for (const projection of PROJECTIONS) {
      await projection.applyBatch(events, projectionCollections(scratch, projection));
      for (const name of projection.collections) await store.collection(name).insertMany(await scratch.collection(name).find({}));
    }
  }
  return contacts;
}
