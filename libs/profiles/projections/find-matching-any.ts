import type { DocumentCollection } from '../../document-store/document-store.port.js';

/**
 * The documents whose `path` (a value or an array) holds any of `values`: one indexed `$in`, none
 * for no values. In a collection whose writes are held back (`written`, written-documents.ts), those are sent first.
 */
export async function findMatchingAny<T extends { _id: string }>(
  collection: DocumentCollection<T>,
  path: string,
  values: Iterable<string>,
  written?: { flush(): Promise<void> },
): Promise<T[]> {
  const wanted = [...new Set(values)];
  if (wanted.length === 0) return [];
  await written?.flush();
  return collection.find({ [path]: { $in: wanted } });
}
