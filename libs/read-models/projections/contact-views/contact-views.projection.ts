import { applyToContactView, type ContactView } from '../../../domain/contacts/index.js';
import { byContact, contactEventsOf } from '../contact-events-of.js';
import { foldDocuments, writeGuarded } from '../positioned-documents.js';
import type { Projection } from '../projection.js';

export const CONTACT_VIEWS_COLLECTION = 'contact_views';

/** The contact view of API.md, keyed by contact id, with the position of its last event. */
export type ContactViewDocument = ContactView & { _id: string; position: number };

/** `contact-views`: one document per contact, the view that `GET /v1/contacts/:id` answers. */
export const contactViewsProjection: Projection = {
  name: 'contact-views',
  collections: [CONTACT_VIEWS_COLLECTION],

  async setup(db) {
    const views = db.collection<ContactViewDocument>(CONTACT_VIEWS_COLLECTION);
    await views.createIndex({ workspace: 1, _id: 1 });
    await views.createIndex({ workspace: 1, tags: 1 });
  },

  async applyBatch(events, db) {
    const views = db.collection<ContactViewDocument>(CONTACT_VIEWS_COLLECTION);
    const changed = await foldDocuments(views, byContact(contactEventsOf(events)), (document, event) => {
      const view = applyToContactView(document && viewOf(document), event);
      return { _id: view.id, ...view, position: event.position };
    });
    await writeGuarded(views, changed);
  },
};

/** The view without the document's storage fields. */
export function viewOf(document: ContactViewDocument): ContactView {
  const { _id, position, ...view } = document;
  return view;
}
