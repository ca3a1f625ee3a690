import { cloneDeep, setValue } from 'mingo/util';
import type { Filter } from '../document-store.port.js';

/**
 * The document an upsert starts from, as MongoDB builds it: the filter's equality
 * conditions (`{ field: value }`, `{ field: { $eq: value } }`, also inside `$and`).
 */
export function upsertSeed(filter: Filter): Record<string, unknown> {
  const seed: Record<string, unknown> = {};
  collectEqualities(filter, seed);
  return seed;
}

function collectEqualities(filter: Filter, seed: Record<string, unknown>): void {
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and') {
      for (const clause of condition as Filter[]) collectEqualities(clause, seed);
    } else if (key.startsWith('$')) {
      continue;
    } else if (isOperatorObject(condition)) {
      if ('$eq' in condition) setValue(seed, key, cloneDeep(condition.$eq));
    } else {
      setValue(seed, key, cloneDeep(condition));
    }
  }
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).some((key) => key.startsWith('$'))
  );
}
