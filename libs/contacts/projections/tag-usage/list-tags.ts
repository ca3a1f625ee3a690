import type { DocumentStore } from '../../../document-store/document-store.port.js';
import { startsWith } from '../../../document-store/prefix-filter.js';
import { tagKey } from '../../../workspace/tag-name.js';
import { TAG_USAGE_COLLECTION, type TagUsageDocument } from './tag-usage.projection.js';

export type TagUsage = { name: string; contacts: number };

/** The workspace's tags whose name starts with `prefix` (any case), by name, with their counts. */
export async function listTags(store: DocumentStore, workspace: string, prefix = ''): Promise<TagUsage[]> {
  const key = tagKey(prefix);
  const filter = key ? { workspace, key: startsWith(key) } : { workspace };
  const documents = await store.collection<TagUsageDocument>(TAG_USAGE_COLLECTION).find(filter, { sort: { key: 1 } });
  return documents.map(({ name, contacts }) => ({ name, contacts }));
}
