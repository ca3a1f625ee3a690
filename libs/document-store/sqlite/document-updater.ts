import type { Filter, Update } from '../document-store.port.js';
import { isOperatorObject } from './document-matcher.js';
import { compareValues, setValueAt, unsetValueAt, valueAt, valuesEqual, type JsonDocument } from './document-values.js';

/** Applies the update operators to the document in place; true when anything changed. `$setOnInsert` is the caller's. */
export function applyUpdate(document: JsonDocument, update: Update): boolean {
  let changed = false;
  for (const [operator, fields] of Object.entries(update)) {
    if (operator === '$setOnInsert' || fields === undefined) continue;
    for (const [path, operand] of Object.entries(fields as Record<string, unknown>)) {
      if (path === '_id' && operator !== '$setOnInsert' && !valuesEqual(document._id, operand)) {
        throw new Error(`an update cannot change _id '${String(document._id)}'`);
      }
      changed = applyOperator(document, operator, path, operand) || changed;
    }
  }
  return changed;
}

function applyOperator(document: JsonDocument, operator: string, path: string, operand: unknown): boolean {
  const current = valueAt(document, path);
  switch (operator) {
    case '$set':
      if (current !== undefined && valuesEqual(current, operand)) return false;
      setValueAt(document, path, structuredClone(operand));
      return true;
    case '$unset':
      return unsetValueAt(document, path);
    case '$max':
      if (current !== undefined && compareValues(operand, current) <= 0) return false;
      setValueAt(document, path, structuredClone(operand));
      return true;
    case '$addToSet': {
      const array = arrayAt(document, path, current);
      if (array.some((element) => valuesEqual(element, operand))) return false;
      array.push(structuredClone(operand));
      return true;
    }
    case '$pull': {
      if (!Array.isArray(current)) return false;
      const kept = current.filter((element) => !valuesEqual(element, operand));
      if (kept.length === current.length) return false;
      setValueAt(document, path, kept);
      return true;
    }
    default:
      throw new Error(`unsupported update operator ${operator}`);
  }
}

function arrayAt(document: JsonDocument, path: string, current: unknown): unknown[] {
  if (current === undefined) {
    const created: unknown[] = [];
    setValueAt(document, path, created);
    return created;
  }
  if (!Array.isArray(current)) throw new Error(`$addToSet needs an array at ${path}`);
  return current;
}

/**
 * The document an upsert starts from, as MongoDB builds it: the filter's equality conditions
 * (`{ field: value }`, `{ field: { $eq: value } }`, also inside `$and`).
 */
export function upsertSeed(filter: Filter): JsonDocument {
  const seed: JsonDocument = {};
  collectEqualities(filter, seed);
  return seed;
}

function collectEqualities(filter: Filter, seed: JsonDocument): void {
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and') {
      for (const clause of condition as Filter[]) collectEqualities(clause, seed);
    } else if (key.startsWith('$')) {
      continue;
    } else if (isOperatorObject(condition)) {
      if ('$eq' in condition) setValueAt(seed, key, structuredClone(condition.$eq));
    } else {
      setValueAt(seed, key, structuredClone(condition));
    }
  }
}

/** The document with only the projected fields (inclusions, or everything but the exclusions); may change `document`. */
export function projectDocument(document: JsonDocument, projection: Record<string, 0 | 1>): JsonDocument {
  const entries = Object.entries(projection);
  const inclusive = entries.some(([path, flag]) => flag === 1 && path !== '_id') || entries.every(([, flag]) => flag === 1);
  if (!inclusive) {
    for (const [path] of entries) unsetValueAt(document, path);
    return document;
  }
  const projected: JsonDocument = {};
  if (projection._id !== 0 && document._id !== undefined) projected._id = document._id;
  for (const [path, flag] of entries) {
    if (flag !== 1 || path === '_id') continue;
    const value = valueAt(document, path);
    if (value !== undefined) setValueAt(projected, path, value);
  }
  return projected;
}
