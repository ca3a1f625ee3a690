import type { ContactEvent } from '../../index.js';
import type { Recorded } from '../../../eventsourcing/domain-event.js';
import type { CustomFieldArchived } from '../../../workspace/custom-field-definitions.js';
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
export const contactSearchProjection = documentProjection<ContactEvent | CustomFieldArchived, SearchFold>({
  name: 'contact-search',
  canHandle: [...CONTACT_EVENT_TYPES, 'CustomFieldArchived'],
  collection: CONTACT_SEARCH_COLLECTION,
  indexes: [
    // The sort keys after the tokens: a token prefix's contacts sort within the index range.
    { workspace: 1, tokens: 1, sortKey: 1, _id: 1 },
    { workspace: 1, sortKey: 1, _id: 1 },
  ],
  documentId: (event) => (event.type === 'CustomFieldArchived' ? null : contactIdOf(event)),
  evolve: (document, event) => {
    if (event.type === 'CustomFieldArchived') throw new Error('an archived custom field changes no one entry');
    const view = foldOwnView(document, event);
    if (view === null) throw new Error(`contact-search folds a contact from its ContactRegistered, not ${event.type}`);
    return entryOf(view, searchableFieldsAfter(document?.searchableCustomFields ?? [], event));
  },
  sweep: async (event, { documents }) => {
    // An archived custom field's values are found no more (its history keeps them).
    if (event.type !== 'CustomFieldArchived') return;
    const { name } = event.data;
    const holding = await documents.find({ workspace: event.metadata.workspace, searchableCustomFields: name });
    if (holding.length === 0) return;
    await documents.bulkWrite(
      holding.map(({ _id, position, view, searchableCustomFields }) => {
        const { [name]: _, ...customFields } = view.customFields;
        const entry = entryOf({ ...view, customFields }, searchableCustomFields.filter((field) => field !== name));
        return { replaceOne: { filter: { _id, position }, replacement: { ...entry, _id, position } } };
      }),
    );
  },
  deletedBy: ['ContactDeleted'],
  shredsAfter: ['ContactDeleted'],
});

function searchableFieldsAfter(fields: readonly string[], event: Recorded<ContactEvent>): string[] {
  if (event.type !== 'CustomFieldValueSet') return [...fields];
  const others = fields.filter((name) => name !== event.data.name);
  return isSearchableType(event.data.fieldType) ? [...others, event.data.name] : others;
}

function entryOf(view: ContactView, searchableCustomFields: string[]): SearchFold {
  const customValues = searchableCustomFields.flatMap((name) => {
    const value = view.customFields[name];
    return value === undefined || value === null ? [] : Array.isArray(value) ? value : [String(value)];
  });
  const contact = { ...view, customValues };
  return { workspace: view.workspace, tokens: searchTokensOf(contact), sortKey: sortKeyOf(contact), blocked: view.blocked, view, searchableCustomFields };
}
