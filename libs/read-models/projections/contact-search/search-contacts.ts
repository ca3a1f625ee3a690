import type { DocumentStore } from '../../document-store/document-store.port.js';
import { afterKeyset, decodeCursor, pageOf } from '../keyset-cursor.js';
import { CONTACT_SEARCH_COLLECTION, type ContactSearchDocument } from './contact-search.projection.js';
import { queryTokensOf } from './search-tokens.js';

export interface SearchContactsQuery {
  workspace: string;
  q?: string;
  tag?: string;
  limit: number;
  cursor?: string;
}

/**
 * Ids of the workspace's contacts that have, for every query token, a token it is a prefix
 * of (and the tag, if given), ordered by name; keyset-paginated. Throws `InvalidCursorError`.
 */
export async function searchContacts(
  store: DocumentStore,
  { workspace, q, tag, limit, cursor }: SearchContactsQuery,
): Promise<{ ids: string[]; nextCursor: string | null }> {
  const conditions: object[] = [{ workspace }];
  for (const token of queryTokensOf(q ?? '')) conditions.push({ tokens: { $regex: `^${escapeRegExp(token)}` } });
  if (tag) conditions.push({ tokens: `tag:${tag}` });
  if (cursor) conditions.push(afterKeyset('sortKey', decodeCursor<string>(cursor, 'string')));

  const found = await store
    .collection<ContactSearchDocument>(CONTACT_SEARCH_COLLECTION)
    .find<Pick<ContactSearchDocument, '_id' | 'sortKey'>>(
      { $and: conditions },
      { sort: { sortKey: 1, _id: 1 }, limit: limit + 1, projection: { _id: 1, sortKey: 1 } },
    );
  const page = pageOf(found, limit, (document) => document.sortKey);
  return { ids: page.documents.map((document) => document._id), nextCursor: page.nextCursor };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
