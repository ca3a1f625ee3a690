import type { DocumentStore } from '../../../document-store/document-store.port.js';
import { startsWith } from '../../../document-store/prefix-filter.js';
import { tagKey } from '../../../workspace/tag-name.js';
import { TAG_USAGE_COLLECTION, type TagUsageDocument } from './tag-usage.projection.js';

export type TagUsage = { name: string; contacts: number };

/** The most tags one list answers (and its default): a suggestion box wants the first few, a settings page all of a normal workspace. */
export const TAG_LIST_MAX = 1000;

/** The workspace's first `limit` tags whose name starts with `prefix` (any case), by name, with their counts. */
export async function listTags(store: DocumentStore, workspace: string, prefix = '', limit = TAG_LIST_MAX): Promise<TagUsage[]> {
  const key = tagKey(prefix);
  const filter = key ? { workspace, key: startsWith(key) } : { workspace };
  const documents = await store.collection<TagUsageDocument>(TAG_USAGE_COLLECTION).find(filter, { sort: { key: 1 }, limit });
  return documents.map(({ name, contacts }) => ({ name, contacts }));
}
