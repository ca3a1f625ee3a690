import type { ContactView } from '../../../domain/contacts/index.js';
import type { DocumentStore } from '../../document-store/document-store.port.js';
import { CONTACT_VIEWS_COLLECTION, viewOf, type ContactViewDocument } from './contact-views.projection.js';

/** The workspace's views of these contacts, in the order of `ids`; unknown ids are left out. */
export async function findContactViews(store: DocumentStore, workspace: string, ids: readonly string[]): Promise<ContactView[]> {
  const documents = await store.collection<ContactViewDocument>(CONTACT_VIEWS_COLLECTION).find({ workspace, _id: { $in: [...ids] } });
  const byId = new Map(documents.map((document) => [document._id, viewOf(document)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
