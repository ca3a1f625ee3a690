import { isPlainObject, valueAt } from './document-values.js';

/** A declared index: its key paths in order, with their directions. */
export interface IndexDefinition {
  name: string;
  keys: Array<[path: string, direction: 1 | -1]>;
  unique: boolean;
}

export type SqlValue = string | number | null;

/**
 * A value as an index column stores it. Strings and numbers stay as they are, so SQLite
 * orders and ranges them as MongoDB does; null and a missing field are NULL; anything else is
 * its JSON behind a NUL character (equality only).
 */
export function indexValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  return `\u0000${JSON.stringify(value)}`;
}

/**
 * The index rows of a document (without its id): one per element of an array field, as a
 * MongoDB multikey index has, deduplicated. An empty array indexes as null.
 */
export function indexEntries(index: IndexDefinition, document: unknown): SqlValue[][] {
  let rows: SqlValue[][] = [[]];
  for (const [path] of index.keys) {
    const value = path === '_id' && isPlainObject(document) ? document._id : valueAt(document, path);
    const values = Array.isArray(value) ? (value.length > 0 ? [...new Set(value.map(indexValue))] : [null]) : [indexValue(value)];
    rows = values.length === 1 ? rows.map((row) => [...row, values[0]!]) : rows.flatMap((row) => values.map((v) => [...row, v]));
  }
  return rows;
}

/** A row's identity for diffing the entries of two versions of a document. */
export function entryKey(row: readonly SqlValue[]): string {
  return JSON.stringify(row);
}
