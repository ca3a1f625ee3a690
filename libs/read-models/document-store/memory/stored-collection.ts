import { resolve } from 'mingo/util';
import { DuplicateKeyError, type IndexKeys } from '../document-store.port.js';

export type StoredDocument = { _id: string; [field: string]: unknown };

interface UniqueIndex {
  keys: string[];
  /** Index key → `_id` of the document holding it. */
  entries: Map<string, string>;
}

/**
 * The documents of one in-memory collection and its unique indexes. Every write checks
 * all unique constraints before it changes anything, so a failed write leaves no trace.
 */
export class StoredCollection {
  private readonly documents = new Map<string, StoredDocument>();
  private readonly uniqueIndexes = new Map<string, UniqueIndex>();
  private readonly indexNames = new Set<string>(['_id_']);

  constructor(public name: string) {}

  all(): StoredDocument[] {
    return [...this.documents.values()];
  }

  /**
   * The documents a filter can match, narrowed by its `_id` condition when it has one (an
   * `_id` value or `$in`, at the top or in a top-level `$and`), so that lookups by id do not
   * scan the collection. The query itself still tests every candidate.
   */
  candidates(filter: Record<string, unknown>): StoredDocument[] {
    const ids = idsOf(filter);
    if (!ids) return this.all();
    return ids.flatMap((id) => this.documents.get(id) ?? []);
  }

  has(id: string): boolean {
    return this.documents.has(id);
  }

  insert(doc: StoredDocument): void {
    if (this.documents.has(doc._id)) throw new DuplicateKeyError(this.name, '_id_');
    this.assertUnique(doc);
    this.index(doc);
    this.documents.set(doc._id, doc);
  }

  /** Replaces the stored document with the same `_id`. */
  replace(doc: StoredDocument): void {
    this.assertUnique(doc);
    this.unindex(this.documents.get(doc._id)!);
    this.index(doc);
    this.documents.set(doc._id, doc);
  }

  delete(id: string): void {
    this.unindex(this.documents.get(id)!);
    this.documents.delete(id);
  }

  createIndex(keys: IndexKeys, options: { unique?: boolean; name?: string }): void {
    const name = options.name ?? Object.entries(keys).map(([path, order]) => `${path}_${order}`).join('_');
    if (this.indexNames.has(name)) return;
    if (options.unique) {
      const index: UniqueIndex = { keys: Object.keys(keys), entries: new Map() };
      for (const doc of this.documents.values()) {
        const key = indexKey(index, doc);
        if (index.entries.has(key)) throw new DuplicateKeyError(this.name, name);
        index.entries.set(key, doc._id);
      }
      this.uniqueIndexes.set(name, index);
    }
    this.indexNames.add(name);
  }

  private assertUnique(doc: StoredDocument): void {
    for (const [name, index] of this.uniqueIndexes) {
      const holder = index.entries.get(indexKey(index, doc));
      if (holder !== undefined && holder !== doc._id) throw new DuplicateKeyError(this.name, name);
    }
  }

  private index(doc: StoredDocument): void {
    for (const index of this.uniqueIndexes.values()) index.entries.set(indexKey(index, doc), doc._id);
  }

  private unindex(doc: StoredDocument): void {
    for (const index of this.uniqueIndexes.values()) index.entries.delete(indexKey(index, doc));
  }
}

function idsOf(filter: Record<string, unknown>): string[] | undefined {
  const condition = filter._id;
  if (typeof condition === 'string') return [condition];
  if (isInCondition(condition)) return [...new Set(condition.$in)];
  if (Array.isArray(filter.$and)) {
    for (const part of filter.$and as Record<string, unknown>[]) {
      const ids = idsOf(part);
      if (ids) return ids;
    }
  }
  return undefined;
}

function isInCondition(condition: unknown): condition is { $in: string[] } {
  if (typeof condition !== 'object' || condition === null) return false;
  const keys = Object.keys(condition);
  const values = (condition as { $in?: unknown }).$in;
  return keys.length === 1 && Array.isArray(values) && values.every((value) => typeof value === 'string');
}

/** As in MongoDB, a missing field indexes as null (JSON turns `undefined` in an array into null). */
function indexKey(index: UniqueIndex, doc: StoredDocument): string {
  return JSON.stringify(index.keys.map((path) => resolve(doc, path)));
}
