import { CONTACT_FIELDS, effectiveValue, evolveContact, initialContactState, type ContactEvent, type ContactState } from '../../index.js';
import { CONTACT_EVENT_TYPES, contactIdOf } from '../contact-events-of.js';
import { documentProjection } from '../../../projections/document-projection.js';
import { isSearchableType } from '../../custom-fields/custom-field-values.js';
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
  blocked: boolean;
  position: number;
  state: ContactState;
};

/** `contact-search`: the token index behind `GET /v1/contacts?q=&tag=`. */
export const contactSearchProjection = documentProjection<ContactEvent, Omit<ContactSearchDocument, '_id' | 'position'>>({
  name: 'contact-search',
  canHandle: CONTACT_EVENT_TYPES,
  collection: CONTACT_SEARCH_COLLECTION,
  indexes: [
    { workspace: 1, tokens: 1 },
    { workspace: 1, sortKey: 1, _id: 1 },
  ],
  documentId: contactIdOf,
  evolve: (document, event) => {
    const state = evolveContact(document?.state ?? initialContactState(), event);
    const contact = searchableContactOf(contactIdOf(event), state);
    return {
      workspace: state.workspace ?? event.metadata.workspace,
      tokens: searchTokensOf(contact),
      sortKey: sortKeyOf(contact),
      blocked: state.blocked,
      state,
    };
  },
  deletedBy: ['ContactDeleted'],
  shredsAfter: ['ContactDeleted'],
});

function searchableContactOf(id: string, state: ContactState): SearchableContact {
  const fields = Object.fromEntries(CONTACT_FIELDS.map((field) => [field, { value: effectiveValue(state.fields[field]) }]));
  const customValues = Object.values(state.customFields)
    .filter(({ type }) => isSearchableType(type))
    .flatMap(({ value }) => (Array.isArray(value) ? value : [String(value)]));
  return { id, fields: fields as SearchableContact['fields'], tags: state.tags, customValues };
}
