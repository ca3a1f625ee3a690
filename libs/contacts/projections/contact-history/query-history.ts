import type { DocumentStore } from '../../../document-store/document-store.port.js';
import { CONTACT_HISTORY_COLLECTION, type ContactHistoryDocument } from './contact-history.projection.js';
import { afterKeyset, decodeCursor, pageOf } from '../../../document-store/keyset-cursor.js';

export interface HistoryQuery {
  workspace: string;
  contactId?: string;
  actorId?: string;
  field?: string;
  /** ISO times, inclusive. */
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

export type ContactHistoryEntry = Omit<ContactHistoryDocument, '_id'>;

/** The audit trail, oldest first, keyset-paginated. Throws `InvalidCursorError`, and a RangeError for a bad time. */
export async function queryHistory(
  store: DocumentStore,
  { workspace, contactId, actorId, field, from, to, limit, cursor }: HistoryQuery,
): Promise<{ items: ContactHistoryEntry[]; nextCursor: string | null }> {
  const conditions: object[] = [{ workspace }];
  if (contactId) conditions.push({ contactId });
  if (actorId) conditions.push({ 'actor.id': actorId });
  if (field) conditions.push({ field });
  // `at` is stored as toISOString() gives it, so times compare as strings once written the same way.
  if (from) conditions.push({ at: { $gte: new Date(from).toISOString() } });
  if (to) conditions.push({ at: { $lte: new Date(to).toISOString() } });
  if (cursor) conditions.push(afterKeyset('position', decodeCursor<number>(cursor, 'number')));

  const found = await store
    .collection<ContactHistoryDocument>(CONTACT_HISTORY_COLLECTION)
    .find({ $and: conditions }, { sort: { position: 1, _id: 1 }, limit: limit + 1 });
  const page = pageOf(found, limit, (document) => document.position);
  return { items: page.documents.map(({ _id, ...entry }) => entry), nextCursor: page.nextCursor };
}
