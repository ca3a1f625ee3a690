import type { DocumentStore, Filter, FindOptions } from '../../../document-store/document-store.port.js';
import { startsWith } from '../../../document-store/prefix-filter.js';
import { afterKeyset, decodeCursor, pageOf } from '../../../document-store/keyset-cursor.js';
import { CONTACT_SEARCH_COLLECTION, type ContactSearchDocument } from './contact-search.projection.js';
import { queryTokensOf, tagToken } from './search-tokens.js';

export interface SearchContactsQuery {
  workspace: string;
  q?: string;
  /** Contacts carrying all of these tags. */
  tags?: readonly string[];
  blocked?: boolean;
  limit: number;
  cursor?: string;
}

/**
 * Ids of the workspace's contacts that have, for every query token, a token it is a prefix
 * of (and every tag given, and the blocked state if given), ordered by name; keyset-paginated. Throws `InvalidCursorError`.
 */
export async function searchContacts(store: DocumentStore, query: SearchContactsQuery): Promise<{ ids: string[]; nextCursor: string | null }> {
  const { filter, options } = searchFindOf(query);
  const found = await store
    .collection<ContactSearchDocument>(CONTACT_SEARCH_COLLECTION)
    .find<Pick<ContactSearchDocument, '_id' | 'sortKey'>>(filter, options);
  const { limit } = query;
  const page = pageOf(found, limit, (document) => document.sortKey);
  return { ids: page.documents.map((document) => document._id), nextCursor: page.nextCursor };
}

/** The `find` a search page runs on the token index (also what its explain() test checks). */
export function searchFindOf({ workspace, q, tags = [], blocked, limit, cursor }: SearchContactsQuery): { filter: Filter; options: FindOptions } {
  const conditions: object[] = [{ workspace }];
  for (const token of queryTokensOf(q ?? '')) conditions.push({ tokens: startsWith(token) });
  for (const tag of tags) conditions.push({ tokens: tagToken(tag) });
  if (blocked !== undefined) conditions.push({ blocked });
  if (cursor) conditions.push(afterKeyset('sortKey', decodeCursor<string>(cursor, 'string')));
  return { filter: { $and: conditions }, options: { sort: { sortKey: 1, _id: 1 }, limit: limit + 1, projection: { _id: 1, sortKey: 1 } } };
}
