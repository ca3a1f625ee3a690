import type { DocumentCollection } from '../../document-store/document-store.port.js';

/** The documents whose `path` (a value or an array) holds any of `values`: one indexed `$in`, none for no values. */
export async function findMatchingAny<T extends { _id: string }>(collection: DocumentCollection<T>, path: string, values: Iterable<string>): Promise<T[]> {
  const wanted = [...new Set(values)];
  return wanted.length === 0 ? [] : collection.find({ [path]: { $in: wanted } });
}
