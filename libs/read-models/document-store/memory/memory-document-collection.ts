import { Query, update as applyModifier } from 'mingo';
import type { Modifier } from 'mingo/updater';
import { cloneDeep, isEqual } from 'mingo/util';
import type {
  BulkWriteOperation,
  BulkWriteResult,
  DocumentCollection,
  Filter,
  FindOptions,
  IndexKeys,
  Update,
  UpdateResult,
} from '../document-store.port.js';
import { StoredCollection, type StoredDocument } from './stored-collection.js';
import { upsertSeed } from './upsert-seed.js';

/**
 * A collection handle bound to a name in the store's catalog. Documents are deep-copied on
 * the way in and out, so callers never share objects with the store.
 */
export class MemoryDocumentCollection<T extends { _id: string }> implements DocumentCollection<T> {
  constructor(
    private readonly name: string,
    private readonly catalog: Map<string, StoredCollection>,
  ) {}

  async findOne(filter: Filter): Promise<T | null> {
    const [first] = await this.find<T>(filter, { limit: 1 });
    return first ?? null;
  }

  async find<R = T>(filter: Filter, options: FindOptions = {}): Promise<R[]> {
    let cursor = new Query(filter).find<Record<string, unknown>>(this.existing()?.candidates(filter) ?? [], options.projection);
    if (options.sort) cursor = cursor.sort(options.sort);
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit) cursor = cursor.limit(options.limit);
    return cursor.all().map((doc) => cloneDeep(doc) as R);
  }

  async count(filter: Filter): Promise<number> {
    return this.matching(filter).length;
  }

  async insertMany(docs: T[]): Promise<void> {
    if (docs.length === 0) return;
    const stored = this.existingOrCreated();
    for (const doc of docs) stored.insert(cloneDeep(doc));
  }

  async updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    const [match] = this.matching(filter);
    if (match) return { matched: 1, modified: this.modify(match, update) ? 1 : 0, upserted: false };
    if (!options.upsert) return { matched: 0, modified: 0, upserted: false };
    const { $setOnInsert, ...modifier } = update;
    const doc = upsertSeed(filter);
    applyModifier(doc, { ...modifier, $set: { ...$setOnInsert, ...modifier.$set } } as Modifier<typeof doc>);
    this.existingOrCreated().insert(withStringId(doc));
    return { matched: 0, modified: 0, upserted: true };
  }

  async updateMany(filter: Filter, update: Update): Promise<Omit<UpdateResult, 'upserted'>> {
    const matches = this.matching(filter);
    const modified = matches.filter((match) => this.modify(match, update)).length;
    return { matched: matches.length, modified };
  }

  async replaceOne(filter: Filter, replacement: T, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    const [match] = this.matching(filter);
    const doc = cloneDeep(replacement) as StoredDocument;
    if (match) {
      if (doc._id !== match._id) throw new Error(`replaceOne cannot change _id '${match._id}' to '${doc._id}'`);
      if (isEqual(doc, match)) return { matched: 1, modified: 0, upserted: false };
      this.existingOrCreated().replace(doc);
      return { matched: 1, modified: 1, upserted: false };
    }
    if (!options.upsert) return { matched: 0, modified: 0, upserted: false };
    this.existingOrCreated().insert(doc);
    return { matched: 0, modified: 0, upserted: true };
  }

  async bulkWrite(operations: BulkWriteOperation<T>[]): Promise<BulkWriteResult> {
    const result: BulkWriteResult = { matched: 0, modified: 0, upserted: 0, deleted: 0 };
    for (const operation of operations) {
      if ('updateOne' in operation) {
        const { filter, update, upsert } = operation.updateOne;
        addUpdate(result, await this.updateOne(filter, update, { upsert }));
      } else if ('replaceOne' in operation) {
        const { filter, replacement, upsert } = operation.replaceOne;
        addUpdate(result, await this.replaceOne(filter, replacement, { upsert }));
      } else if ('deleteOne' in operation) {
        result.deleted += await this.deleteOne(operation.deleteOne.filter);
      } else {
        result.deleted += await this.deleteMany(operation.deleteMany.filter);
      }
    }
    return result;
  }

  async deleteOne(filter: Filter): Promise<number> {
    const [match] = this.matching(filter);
    if (!match) return 0;
    this.existingOrCreated().delete(match._id);
    return 1;
  }

  async deleteMany(filter: Filter): Promise<number> {
    const matches = this.matching(filter);
    for (const match of matches) this.existingOrCreated().delete(match._id);
    return matches.length;
  }

  async createIndex(keys: IndexKeys, options: { unique?: boolean; name?: string } = {}): Promise<void> {
    this.existingOrCreated().createIndex(keys, options);
  }

  private matching(filter: Filter): StoredDocument[] {
    const query = new Query(filter);
    return (this.existing()?.candidates(filter) ?? []).filter((doc) => query.test(doc));
  }

  /** Applies the update to a copy and stores it if anything changed; `$setOnInsert` does nothing here. */
  private modify(match: StoredDocument, update: Update): boolean {
    const { $setOnInsert: _onInsertOnly, ...modifier } = update;
    if (Object.keys(modifier).length === 0) return false;
    const next = cloneDeep(match);
    const changed = applyModifier(next, modifier as Modifier<StoredDocument>).length > 0;
    if (changed) this.existingOrCreated().replace(next);
    return changed;
  }

  private existing(): StoredCollection | undefined {
    return this.catalog.get(this.name);
  }

  private existingOrCreated(): StoredCollection {
    let stored = this.catalog.get(this.name);
    if (!stored) {
      stored = new StoredCollection(this.name);
      this.catalog.set(this.name, stored);
    }
    return stored;
  }
}

function withStringId(doc: Record<string, unknown>): StoredDocument {
  if (typeof doc._id !== 'string') throw new Error('an upsert needs a string _id in its filter or its update');
  return doc as StoredDocument;
}

function addUpdate(total: BulkWriteResult, result: UpdateResult): void {
  total.matched += result.matched;
  total.modified += result.modified;
  if (result.upserted) total.upserted += 1;
}
