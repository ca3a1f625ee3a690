import type { DocumentStore } from '../../document-store/document-store.port.js';
import { ReadModelChanges } from '../../projections/read-model-changes.js';
import { CONTACT_VIEWS_COLLECTION, contactViewsProjection, type ContactViewDocument } from '../projections/contact-views/contact-views.projection.js';

/** The contact views as the contact-views projection writes them: the one notifier of live updates in a process. */
export class ContactViewChanges extends ReadModelChanges<ContactViewDocument> {
  constructor(
    private readonly documents: DocumentStore,
    options: { pollIntervalMs?: number; onError?: (error: unknown) => void } = {},
  ) {
    super(documents, {
      projection: contactViewsProjection.name,
      changedBetween: (after, upTo) =>
        documents.collection<ContactViewDocument>(CONTACT_VIEWS_COLLECTION).find({ position: { $gt: after, $lte: upTo } }, { sort: { position: 1 } }),
      ...options,
    });
  }

  /** These contacts' views written after `after` (and up to `upTo`), by position: what a client that reconnects missed. */
  written(workspace: string, ids: readonly string[], after: number, upTo: number): Promise<ContactViewDocument[]> {
    return this.documents
      .collection<ContactViewDocument>(CONTACT_VIEWS_COLLECTION)
      .find({ workspace, _id: { $in: [...ids] }, position: { $gt: after, $lte: upTo } }, { sort: { position: 1 } });
  }
}
