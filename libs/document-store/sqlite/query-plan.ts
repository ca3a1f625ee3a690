import type { Filter, SortSpec } from '../document-store.port.js';
import { isOperatorObject } from './document-matcher.js';
import { compareValues } from './document-values.js';
import type { IndexDefinition, SqlValue } from './index-entries.js';

export type Bound = { value: string | number; inclusive: boolean };
export type Range = { lower?: Bound; upper?: Bound };

/** An index range: equalities on the first keys, then optionally a range on the next one. */
export interface IndexScan {
  index: IndexDefinition;
  equalities: SqlValue[];
  range?: Range;
}

export type QueryPlan =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'index'; scan: IndexScan; ordered: false }
  /** Walks the index in the order of the sort (reversed when `descending`), so a limit stops it early. */
  | { kind: 'index'; scan: IndexScan; ordered: true; descending: boolean }
  /** One equality scan per value of an `$in` on an indexed path; each document once. */
  | { kind: 'union'; scans: IndexScan[] }
  /**
   * The ids in every one of the ranges, put in the sort's order by the index that holds the sort
   * keys (`order`, an ordered walk's scan) inside SQLite, so only a page of documents is read.
   */
  | { kind: 'sorted-range'; scans: IndexScan[]; order: IndexScan; descending: boolean }
  /**
   * The same, when the index of the first range goes on with the sort's keys after the ranged key
   * (`{workspace, tokens, sortKey, _id}` for a token prefix sorted by `sortKey, _id`): each index
   * row carries its sort keys (from `sortFrom` on), so no join is needed to sort the ids.
   */
  | { kind: 'covered-range'; scans: IndexScan[]; sortFrom: number; descending: boolean }
  | { kind: 'collection' };

/** Most values of an `$in` that are looked up one by one in an index. */
const MAX_UNION_SCANS = 1000;

/** Up to this many index rows a range counts as selective: its ids are worth sorting, not walking past. */
export const SMALL_RANGE = 1000;
export const MID_RANGE = 50_000;

/**
 * Chooses how to find a filter's candidates, as a query planner with one statistic: the
 * size of each usable index range, counted up to a cap. By `_id` when the filter names ids.
 * Without a sort, by the smallest range. With a sort that an index can give: the ids of every
 * range under MID_RANGE rows, intersected and put in the sort's order inside SQLite, so only a
 * page of documents is read; when no range is that selective, a walk along the sort's index
 * that stops at the limit. Else by the smallest range or the whole collection, sorted after.
 * The filter still tests every candidate.
 */
export function planQuery(
  filter: Filter,
  sort: SortSpec | undefined,
  indexes: readonly IndexDefinition[],
  rowsIn: (scan: IndexScan, cap: number) => number,
): QueryPlan {
  const conditions = conditionsOf(filter);
  const ids = conditions.get('_id');
  if (ids?.ids) return { kind: 'ids', ids: ids.ids };

  const scans: Array<{ scan: IndexScan; rows: number }> = [];
  for (const scan of indexScans(indexes, conditions)) {
    const rows = rowsIn(scan, SMALL_RANGE);
    if (rows === 0) return { kind: 'index', scan, ordered: false };
    scans.push({ scan, rows });
  }
  const smallest = scans.reduce<(typeof scans)[number] | undefined>((best, scan) => (!best || scan.rows < best.rows ? scan : best), undefined);
  if (!smallest || smallest.rows >= SMALL_RANGE) {
    const union = unionOfEqualities(indexes, conditions);
    if (union) return { kind: 'union', scans: union };
  }
  const walk = sort && orderedWalk(indexes, conditions, sort);
  if (walk) {
    const selective = scans.filter(
      ({ scan, rows }) => scan.index !== walk.scan.index && (rows < SMALL_RANGE || rowsIn(scan, MID_RANGE) < MID_RANGE),
    );
    if (selective.length > 0) {
      const covering = selective.find(({ scan }) => sortFollowsRange(scan, sort));
      if (covering) {
        const others = selective.filter(({ scan }) => !sameRange(scan, covering.scan)).map(({ scan }) => scan);
        return { kind: 'covered-range', scans: [covering.scan, ...others], sortFrom: covering.scan.equalities.length + 1, descending: walk.descending };
      }
      return { kind: 'sorted-range', scans: selective.map(({ scan }) => scan), order: walk.scan, descending: walk.descending };
    }
    return walk;
  }
  return smallest ? { kind: 'index', scan: smallest.scan, ordered: false } : { kind: 'collection' };
}

interface PathConditions {
  /** Values the path must equal (string or number). */
  equals: Array<string | number>;
  ranges: Range[];
  /** For `_id` only: the ids it must be one of. */
  ids?: string[];
  /** Values of an `$in` on another path: it must equal (or, for an array, hold) one of them. */
  anyOf?: Array<string | number>;
}

function conditionsOf(filter: Filter): Map<string, PathConditions> {
  const conditions = new Map<string, PathConditions>();
  const at = (path: string): PathConditions => {
    let found = conditions.get(path);
    if (!found) conditions.set(path, (found = { equals: [], ranges: [] }));
    return found;
  };
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and') {
      for (const part of condition as Filter[]) mergeInto(conditionsOf(part), at);
    } else if (key === '$or') {
      for (const [path, range] of boundsImpliedByEveryBranch(condition as Filter[])) at(path).ranges.push(range);
    } else if (!key.startsWith('$')) {
      addCondition(key, condition, at(key));
    }
  }
  return conditions;
}

function mergeInto(source: Map<string, PathConditions>, at: (path: string) => PathConditions): void {
  for (const [path, { equals, ranges, ids, anyOf }] of source) {
    const target = at(path);
    target.equals.push(...equals);
    target.ranges.push(...ranges);
    if (ids) target.ids = target.ids ? target.ids.filter((id) => ids.includes(id)) : ids;
    if (anyOf) target.anyOf = target.anyOf ? target.anyOf.filter((value) => anyOf.includes(value)) : anyOf;
  }
}

function addCondition(path: string, condition: unknown, target: PathConditions): void {
  if (!isOperatorObject(condition)) {
    if (isKey(condition)) {
      target.equals.push(condition);
      if (path === '_id' && typeof condition === 'string') target.ids = [condition];
    }
    return;
  }
  const range: Range = {};
  for (const [operator, operand] of Object.entries(condition)) {
    if (operator === '$eq' && isKey(operand)) {
      target.equals.push(operand);
      if (path === '_id' && typeof operand === 'string') target.ids = [operand];
    } else if (operator === '$in' && path === '_id' && Array.isArray(operand) && operand.every((id) => typeof id === 'string')) {
      target.ids = [...new Set(operand as string[])];
    } else if (operator === '$in' && Array.isArray(operand) && operand.length <= MAX_UNION_SCANS && operand.every(isKey)) {
      const values = [...new Set(operand as Array<string | number>)];
      target.anyOf = target.anyOf ? target.anyOf.filter((value) => values.includes(value)) : values;
    } else if (operator === '$all' && Array.isArray(operand)) {
      target.equals.push(...operand.filter(isKey));
    } else if ((operator === '$gt' || operator === '$gte') && isKey(operand)) {
      range.lower = { value: operand, inclusive: operator === '$gte' };
    } else if ((operator === '$lt' || operator === '$lte') && isKey(operand)) {
      range.upper = { value: operand, inclusive: operator === '$lte' };
    } else if (operator === '$regex' && condition.$options === undefined) {
      const prefix = literalPrefixOf(operand);
      if (prefix !== undefined) target.ranges.push(prefixRange(prefix));
    }
  }
  if (range.lower || range.upper) target.ranges.push(range);
}

function isKey(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

/** `^literal` (metacharacters escaped) → the literal; any other pattern → undefined. */
function literalPrefixOf(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string' || !pattern.startsWith('^')) return undefined;
  let literal = '';
  for (let i = 1; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\') {
      const escaped = pattern[++i];
      if (escaped === undefined || /[\w\s]/.test(escaped)) return undefined;
      literal += escaped;
    } else if ('.*+?()[]{}|$^'.includes(char)) {
      return undefined;
    } else {
      literal += char;
    }
  }
  return literal;
}

const AFTER_EVERY_CHARACTER = '\u{10FFFF}';

function prefixRange(prefix: string): Range {
  return { lower: { value: prefix, inclusive: true }, upper: { value: `${prefix}${AFTER_EVERY_CHARACTER}`, inclusive: false } };
}

/** A range every branch of an `$or` stays within, per path: `{$or: [{k: {$gt: 5}}, {k: 5, …}]}` implies `k ≥ 5`. */
function boundsImpliedByEveryBranch(branches: Filter[]): Map<string, Range> {
  const implied = new Map<string, Range>();
  const perBranch = branches.map(conditionsOf);
  const [first] = perBranch;
  if (!first) return implied;
  for (const path of first.keys()) {
    const lowers = perBranch.map((branch) => lowestLowerBound(branch.get(path)));
    if (lowers.every((bound): bound is Bound => bound !== undefined)) {
      const lowest = lowers.reduce((a, b) => (compareValues(a.value, b.value) < 0 || (a.value === b.value && a.inclusive) ? a : b));
      if (lowers.every((bound) => typeof bound.value === typeof lowest.value)) implied.set(path, { lower: lowest });
    }
  }
  return implied;
}

function lowestLowerBound(conditions: PathConditions | undefined): Bound | undefined {
  if (!conditions) return undefined;
  const bounds: Bound[] = [
    ...conditions.equals.map((value) => ({ value, inclusive: true })),
    ...conditions.ranges.flatMap((range) => (range.lower ? [range.lower] : [])),
  ];
  // Every bound holds at once within a branch: the strongest (highest) one is implied.
  return bounds.reduce<Bound | undefined>((best, bound) => (!best || compareValues(bound.value, best.value) > 0 ? bound : best), undefined);
}

/** Every usable range of every index: its longest prefix of equalities, then each range on the next key. */
function* indexScans(indexes: readonly IndexDefinition[], conditions: Map<string, PathConditions>): Generator<IndexScan> {
  for (const index of indexes) {
    const { equalities, next } = equalityPrefix(index, conditions);
    const ranges = (next && conditions.get(next)?.ranges) || [];
    for (const range of ranges) yield { index, equalities, range };
    if (equalities.length === 0 || ranges.length > 0) continue;
    yield { index, equalities };
    // Several equalities on one multikey path (`$all`): each alone is a usable scan.
    const [last] = index.keys[equalities.length - 1]!;
    for (const value of conditions.get(last)!.equals.slice(1)) yield { index, equalities: [...equalities.slice(0, -1), value] };
  }
}

function equalityPrefix(index: IndexDefinition, conditions: Map<string, PathConditions>): { equalities: SqlValue[]; next: string | undefined } {
  const equalities: SqlValue[] = [];
  for (const [path] of index.keys) {
    const value = conditions.get(path)?.equals[0];
    if (value === undefined) return { equalities, next: path };
    equalities.push(value);
  }
  return { equalities, next: undefined };
}

/** For an `$in` on the key of an index after the filter's equalities: one equality scan per value. */
function unionOfEqualities(indexes: readonly IndexDefinition[], conditions: Map<string, PathConditions>): IndexScan[] | undefined {
  for (const index of indexes) {
    const { equalities, next } = equalityPrefix(index, conditions);
    const anyOf = next === undefined ? undefined : conditions.get(next)?.anyOf;
    if (anyOf) return anyOf.map((value) => ({ index, equalities: [...equalities, value] }));
  }
  return undefined;
}

/** An index whose keys after the filter's equalities are the sort's keys, all in one direction or all reversed. */
function orderedWalk(
  indexes: readonly IndexDefinition[],
  conditions: Map<string, PathConditions>,
  sort: SortSpec,
): { kind: 'index'; scan: IndexScan; ordered: true; descending: boolean } | undefined {
  const sortKeys = Object.entries(sort);
  for (const index of indexes) {
    const { equalities } = equalityPrefix(index, conditions);
    const rest = index.keys.slice(equalities.length);
    if (rest.length < sortKeys.length) continue;
    const signs = sortKeys.map(([path, direction], i) => (rest[i]![0] === path ? direction * rest[i]![1] : 0));
    const descending = signs[0] === -1;
    if (signs.some((sign) => sign !== signs[0] || sign === 0)) continue;
    const next = rest[0]?.[0];
    const range = next === undefined ? undefined : narrowest(conditions.get(next)?.ranges ?? []);
    return { kind: 'index', scan: { index, equalities, range }, ordered: true, descending };
  }
  return undefined;
}

/** Whether the scan ranges over a key that the sort's keys follow in its index, in one direction or all reversed. */
function sortFollowsRange(scan: IndexScan, sort: SortSpec): boolean {
  if (!scan.range) return false;
  const after = scan.index.keys.slice(scan.equalities.length + 1);
  const sortKeys = Object.entries(sort);
  if (after.length < sortKeys.length) return false;
  const signs = sortKeys.map(([path, direction], i) => (after[i]![0] === path ? direction * after[i]![1] : 0));
  return signs.every((sign) => sign !== 0 && sign === signs[0]);
}

/** Whether two scans (of two indexes that start alike) select the same values: intersecting them adds nothing. */
function sameRange(a: IndexScan, b: IndexScan): boolean {
  const selected = ({ index, equalities, range }: IndexScan) => JSON.stringify([index.keys.slice(0, equalities.length + (range ? 1 : 0)).map(([path]) => path), equalities, range]);
  return selected(a) === selected(b);
}

/** The range of the list with the highest lower bound (what a keyset cursor gives). */
function narrowest(ranges: Range[]): Range | undefined {
  return ranges.reduce<Range | undefined>(
    (best, range) => (!best?.lower || (range.lower && compareValues(range.lower.value, best.lower.value) > 0) ? range : best),
    undefined,
  );
}
