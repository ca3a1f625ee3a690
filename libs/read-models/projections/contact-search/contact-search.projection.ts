import { CONTACT_FIELDS, effectiveValue, evolveContact, initialContactState, type ContactState } from '../../../domain/contacts/index.js';
import { byContact, contactEventsOf } from '../contact-events-of.js';
import { foldDocuments, writeGuarded } from '../positioned-documents.js';
import type { Projection } from '../projection.js';
import { searchTokensOf, sortKeyOf, type SearchableContact } from './search-tokens.js';

export const CONTACT_SEARCH_COLLECTION = 'contact_search';

/**
 * A contact's entry in the token index. `state` is the projection's own fold of the contact
 * (a projection reads no other read model), from which the tokens are derived.
 */
export type ContactSearchDocument = {
  _id: string;
  workspace: string;
  tokens: string[];
  sortKey: string;
  position: number;
  state: ContactState;
};

/** `contact-search`: the token index behind `GET /v1/contacts?q=&tag=`. */
export const contactSearchProjection: Projection = {
  name: 'contact-search',
  collections: [CONTACT_SEARCH_COLLECTION],

  async setup(db) {
    const index = db.collection<ContactSearchDocument>(CONTACT_SEARCH_COLLECTION);
    await index.createIndex({ workspace: 1, tokens: 1 });
    await index.createIndex({ workspace: 1, sortKey: 1, _id: 1 });
  },

  async applyBatch(events, db) {
    const index = db.collection<ContactSearchDocument>(CONTACT_SEARCH_COLLECTION);
    const changed = await foldDocuments(index, byContact(contactEventsOf(events)), (document, event) => {
      const state = evolveContact(document?.state ?? initialContactState(), event);
      const contact = searchableContactOf(event.contactId, state);
      return {
        _id: event.contactId,
        workspace: state.workspace ?? event.metadata.workspace,
        tokens: searchTokensOf(contact),
        sortKey: sortKeyOf(contact),
        position: event.position,
        state,
      };
    });
    await writeGuarded(index, changed);
  },
};

function searchableContactOf(id: string, state: ContactState): SearchableContact {
  const fields = Object.fromEntries(CONTACT_FIELDS.map((field) => [field, { value: effectiveValue(state.fields[field]) }]));
  return { id, fields: fields as SearchableContact['fields'], tags: [] };
}
