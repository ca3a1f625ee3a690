import type { ContactEvent } from '../../index.js';
import type { Recorded } from '../../../eventsourcing/domain-event.js';
import { CONTACT_EVENT_TYPES, contactIdOf } from '../contact-events-of.js';
import { documentProjection } from '../../../projections/document-projection.js';
import { isSearchableType } from '../../custom-fields/custom-field-values.js';
import { foldOwnView } from '../contact-views/own-contact-view.js';
import type { ContactView } from '../contact-views/contact-view.js';
import { searchTokensOf, sortKeyOf } from './search-tokens.js';

export const CONTACT_SEARCH_COLLECTION = 'contact_search';

/**
 * A contact's entry in the token index: the tokens and sort key derived from the projection's
 * own fold of the contact (its view, and which of its custom fields hold searchable values).
 */
export type ContactSearchDocument = {
  _id: string;
  workspace: string;
  tokens: string[];
  sortKey: string;
  blocked: boolean;
  position: number;
  view: ContactView;
  /** The custom fields whose type is searchable (text, word, choices), as the values' events tell. */
  searchableCustomFields: string[];
};

type SearchFold = Omit<ContactSearchDocument, '_id' | 'position'>;

/** `contact-search`: the token index behind `GET /v1/contacts?q=&tag=`. */
export const contactSearchProjection = documentProjection<ContactEvent, SearchFold>({
  name: 'contact-search',
  canHandle: CONTACT_EVENT_TYPES,
  collection: CONTACT_SEARCH_COLLECTION,
  indexes: [
    { workspace: 1, tokens: 1 },
    { workspace: 1, sortKey: 1, _id: 1 },
  ],
  documentId: contactIdOf,
  evolve: (document, event) => {
    const view = foldOwnView(document, event);
    if (view === null) throw new Error(`contact-search folds a contact from its ContactRegistered, not ${event.type}`);
    const searchableCustomFields = searchableFieldsAfter(document?.searchableCustomFields ?? [], event);
    const customValues = searchableCustomFields.flatMap((name) => {
      const value = view.customFields[name];
      return value === undefined || value === null ? [] : Array.isArray(value) ? value : [String(value)];
    });
    const contact = { ...view, customValues };
    return { workspace: view.workspace, tokens: searchTokensOf(contact), sortKey: sortKeyOf(contact), blocked: view.blocked, view, searchableCustomFields };
  },
  deletedBy: ['ContactDeleted'],
  shredsAfter: ['ContactDeleted'],
});

function searchableFieldsAfter(fields: readonly string[], event: Recorded<ContactEvent>): string[] {
  if (event.type !== 'CustomFieldValueSet') return [...fields];
  const others = fields.filter((name) => name !== event.data.name);
  return isSearchableType(event.data.fieldType) ? [...others, event.data.name] : others;
}
