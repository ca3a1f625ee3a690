/** Values of JSON documents as MongoDB sees them: dotted paths, array fan-out, ordering. */

export type JsonDocument = { [field: string]: unknown };

export function isPlainObject(value: unknown): value is JsonDocument {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The values a dotted path reaches, as a query sees them: an array on the way fans out over
 * its elements; an array at the end is given whole and also element by element.
 */
export function valuesAt(document: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(document, path.split('.'), 0, out);
  return out.length > 0 ? out : [undefined];
}

function collect(value: unknown, parts: string[], at: number, out: unknown[]): void {
  if (at === parts.length) {
    out.push(value);
    if (Array.isArray(value)) out.push(...value);
    return;
  }
  if (Array.isArray(value)) {
    const index = Number(parts[at]);
    if (Number.isInteger(index) && String(index) === parts[at]) collect(value[index], parts, at + 1, out);
    else for (const element of value) if (isPlainObject(element)) collect(element, parts, at, out);
    return;
  }
  if (isPlainObject(value)) collect(value[parts[at]!], parts, at + 1, out);
  else out.push(undefined);
}

/** The value at a dotted path without fan-out; undefined when absent. */
export function valueAt(document: unknown, path: string): unknown {
  let value = document;
  for (const part of path.split('.')) {
    if (!isPlainObject(value) && !Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Sets a dotted path, creating the objects on the way. */
export function setValueAt(document: JsonDocument, path: string, value: unknown): void {
  const parts = path.split('.');
  let target: JsonDocument = document;
  for (const part of parts.slice(0, -1)) {
    const next = target[part];
    if (!isPlainObject(next) && !Array.isArray(next)) target[part] = {};
    target = target[part] as JsonDocument;
  }
  target[parts.at(-1)!] = value;
}

export function unsetValueAt(document: JsonDocument, path: string): boolean {
  const parts = path.split('.');
  const parent = valueAt(document, parts.slice(0, -1).join('.') || '');
  const holder = parts.length === 1 ? document : parent;
  if (!isPlainObject(holder) || !Object.hasOwn(holder, parts.at(-1)!)) return false;
  delete holder[parts.at(-1)!];
  return true;
}

/** MongoDB's order of types: missing/null, numbers, strings, objects, arrays, booleans. */
function typeRank(value: unknown): number {
  if (value === undefined || value === null) return 1;
  if (typeof value === 'number') return 2;
  if (typeof value === 'string') return 3;
  if (Array.isArray(value)) return 5;
  if (typeof value === 'object') return 4;
  if (typeof value === 'boolean') return 6;
  return 7;
}

export function sameType(a: unknown, b: unknown): boolean {
  return typeRank(a) === typeRank(b);
}

export function compareValues(a: unknown, b: unknown): number {
  const ranks = typeRank(a) - typeRank(b);
  if (ranks !== 0) return ranks;
  if (typeof a === 'number') return a - (b as number);
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (typeof a === 'boolean') return Number(a) - Number(b);
  if (a === null || a === undefined) return 0;
  const left = JSON.stringify(a);
  const right = JSON.stringify(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((element, i) => valuesEqual(element, other[i]));
  }
  const left = Object.keys(a as object);
  const right = Object.keys(b as object);
  return (
    left.length === right.length &&
    left.every((key, i) => key === right[i] && valuesEqual((a as JsonDocument)[key], (b as JsonDocument)[key]))
  );
}

/** Key for a sort: ascending takes an array's smallest element, descending its largest. */
export function sortValue(document: unknown, path: string, direction: 1 | -1): unknown {
  const value = valueAt(document, path);
  if (!Array.isArray(value) || value.length === 0) return value;
  return value.reduce((best, element) => (compareValues(element, best) * direction < 0 ? element : best));
}
