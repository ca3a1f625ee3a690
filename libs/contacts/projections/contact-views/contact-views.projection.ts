import { applyToContactView, type ContactView } from './contact-view.js';
import type { ContactEvent } from '../../contact-events.js';
import type { CustomFieldArchived } from '../../../workspace/custom-field-definitions.js';
import { documentProjection, type Positioned } from '../../../projections/document-projection.js';
import { CONTACT_EVENT_TYPES, contactIdOf } from '../contact-events-of.js';

export const CONTACT_VIEWS_COLLECTION = 'contact_views';

/** The contact view of API.md, keyed by contact id, with the position of its last event. */
export type ContactViewDocument = Positioned<ContactView>;

/** `contact-views`: one document per contact, the view that `GET /v1/contacts/:id` answers. */
export const contactViewsProjection = documentProjection<ContactEvent | CustomFieldArchived, ContactView>({
  name: 'contact-views',
  canHandle: [...CONTACT_EVENT_TYPES, 'CustomFieldArchived'],
  collection: CONTACT_VIEWS_COLLECTION,
  indexes: [
    { workspace: 1, _id: 1 },
    { workspace: 1, tags: 1 },
    // What the live updates read: the views written since a checkpoint (contact-view-changes.ts).
    { position: 1 },
  ],
  documentId: (event) => (event.type === 'CustomFieldArchived' ? null : contactIdOf(event)),
  evolve: (document, event) => {
    if (event.type === 'CustomFieldArchived') throw new Error('an archived custom field changes no one view');
    return applyToContactView(document && viewOf(document), event);
  },
  sweep: async (event, { documents: views }) => {
    // An archived custom field leaves every view of its workspace.
    if (event.type !== 'CustomFieldArchived') return;
    const { name } = event.data;
    await views.updateMany({ workspace: event.metadata.workspace, [`customFields.${name}`]: { $exists: true } }, { $unset: { [`customFields.${name}`]: '' } });
  },
  deletedBy: ['ContactDeleted'],
  shredsAfter: ['ContactDeleted'],
});

/** The view without the document's storage fields. */
export function viewOf(document: ContactViewDocument): ContactView {
  const { _id, position, ...view } = document;
  return view;
}
