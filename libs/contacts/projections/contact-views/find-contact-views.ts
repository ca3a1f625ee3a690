import type { ContactView } from './contact-view.js';
import type { DocumentStore } from '../../../document-store/document-store.port.js';
import { CONTACT_VIEWS_COLLECTION, viewOf, type ContactViewDocument } from './contact-views.projection.js';

/** The workspace's views of these contacts, in the order of `ids`; unknown ids are left out. */
export async function findContactViews(store: DocumentStore, workspace: string, ids: readonly string[]): Promise<ContactView[]> {
  // One id alone as the filter: FerretDB pushes only a lone `_id` equality down to its storage.
  const filter = ids.length === 1 ? { _id: ids[0]! } : { workspace, _id: { $in: [...ids] } };
  const documents = await store.collection<ContactViewDocument>(CONTACT_VIEWS_COLLECTION).find(filter);
  const inWorkspace = documents.filter((document) => document.workspace === workspace);
  const byId = new Map(inWorkspace.map((document) => [document._id, viewOf(document)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
