import type { DocumentCollection } from '../../document-store/document-store.port.js';
import { readStored, type PositionedDocument } from '../../projections/positioned-documents.js';
import type { WrittenDocuments } from '../../projections/written-documents.js';
import type { IdsByValue } from './ids-by-value.js';

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

/**
 * The same documents, found in memory in a rebuild's collections while `byValue` holds every
 * written document's values (no `$in` on an array field: FerretDB answers it with a scan), else
 * by findMatchingAny.
 */
export async function findHoldingAny<D extends PositionedDocument>(
  collection: DocumentCollection<D>,
  path: string,
  values: Iterable<string>,
  written?: WrittenDocuments<D>,
  byValue?: IdsByValue<D>,
): Promise<D[]> {
  if (!byValue?.complete) return findMatchingAny(collection, path, values, written);
  const wanted = new Set(values);
  const candidates = await readStored(collection, byValue.idsWith(wanted), written);
  return [...candidates.values()].filter((document) => byValue.holdsAny(document, wanted));
}
