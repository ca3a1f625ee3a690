import type {
  BulkWriteOperation,
  BulkWriteResult,
  DocumentCollection,
  Filter,
  FindOptions,
  IndexKeys,
  SortSpec,
  Update,
  UpdateResult,
} from '../document-store.port.js';
import type { CollectionTables, Row, StoredDocument } from './collection-tables.js';
import { compileFilter } from './document-matcher.js';
import { applyUpdate, projectDocument, upsertSeed } from './document-updater.js';
import { compareValues, sortValue } from './document-values.js';
import { planQuery } from './query-plan.js';

/** What a collection handle needs of its store: its tables by name, resolved at each call, and transactions. */
export interface CollectionCatalog {
  tablesOf(name: string): CollectionTables | undefined;
  /** A read that need not see a catalog change of another connection before it runs (see SqliteDocumentStore.read). */
  read<R>(name: string, read: (tables: CollectionTables | undefined) => R): R;
  tablesOrCreated(name: string): CollectionTables;
  /** Runs `write` in a transaction that keeps what it wrote before it threw; settles once that transaction is committed. */
  writeKeepingPrefix<R>(write: () => R): Promise<R>;
}

/** A collection handle bound to a name; every call runs synchronously against the SQLite file. */
export class SqliteDocumentCollection<T extends { _id: string }> implements DocumentCollection<T> {
  constructor(
    private readonly name: string,
    private readonly catalog: CollectionCatalog,
  ) {}

  async findOne(filter: Filter): Promise<T | null> {
    return (this.findNow<T>(filter, { limit: 1 })[0] as T | undefined) ?? null;
  }

  async find<R = T>(filter: Filter, options: FindOptions = {}): Promise<R[]> {
    return this.findNow<R>(filter, options);
  }

  async count(filter: Filter): Promise<number> {
    return this.catalog.read(this.name, (tables) => {
      if (!tables) return 0;
      if (Object.keys(filter).length === 0) return tables.count();
      return this.matching(tables, filter).length;
    });
  }

  async insertMany(docs: T[]): Promise<void> {
    if (docs.length === 0) return;
    await this.catalog.writeKeepingPrefix(() => {
      const tables = this.catalog.tablesOrCreated(this.name);
      for (const doc of docs) {
        const json = JSON.stringify(doc);
        tables.insert(JSON.parse(json) as StoredDocument, json);
      }
    });
  }

  async updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    return this.catalog.writeKeepingPrefix(() => this.updateOneNow(filter, update, options.upsert ?? false));
  }

  async updateMany(filter: Filter, update: Update): Promise<Omit<UpdateResult, 'upserted'>> {
    return this.catalog.writeKeepingPrefix(() => {
      const tables = this.catalog.tablesOf(this.name);
      const matches = tables ? this.matching(tables, filter) : [];
      let modified = 0;
      for (const match of matches) if (this.modify(tables!, match, update)) modified++;
      return { matched: matches.length, modified };
    });
  }

  async replaceOne(filter: Filter, replacement: T, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    return this.catalog.writeKeepingPrefix(() => this.replaceOneNow(filter, replacement, options.upsert ?? false));
  }

  async bulkWrite(operations: BulkWriteOperation<T>[]): Promise<BulkWriteResult> {
    const result: BulkWriteResult = { matched: 0, modified: 0, upserted: 0, deleted: 0 };
    if (operations.length === 0) return result;
    await this.catalog.writeKeepingPrefix(() => {
      for (const operation of operations) {
        if ('updateOne' in operation) {
          const { filter, update, upsert } = operation.updateOne;
          addUpdate(result, this.updateOneNow(filter, update, upsert ?? false));
        } else if ('replaceOne' in operation) {
          const { filter, replacement, upsert } = operation.replaceOne;
          addUpdate(result, this.replaceOneNow(filter, replacement, upsert ?? false));
        } else if ('deleteOne' in operation) {
          result.deleted += this.deleteNow(operation.deleteOne.filter, 1);
        } else {
          result.deleted += this.deleteNow(operation.deleteMany.filter, Infinity);
        }
      }
    });
    return result;
  }

  async deleteOne(filter: Filter): Promise<number> {
    return this.catalog.writeKeepingPrefix(() => this.deleteNow(filter, 1));
  }

  async deleteMany(filter: Filter): Promise<number> {
    return this.catalog.writeKeepingPrefix(() => this.deleteNow(filter, Infinity));
  }

  async createIndex(keys: IndexKeys, options: { unique?: boolean; name?: string } = {}): Promise<void> {
    const name = options.name ?? Object.entries(keys).map(([path, order]) => `${path}_${order}`).join('_');
    await this.catalog.writeKeepingPrefix(() => {
      const tables = this.catalog.tablesOrCreated(this.name);
      if (name === '_id_' || tables.indexes.some((index) => index.name === name)) return;
      tables.addIndex({ name, keys: Object.entries(keys), unique: options.unique ?? false });
    });
  }

  private findNow<R>(filter: Filter, options: FindOptions): R[] {
    return this.catalog.read(this.name, (tables) => (tables ? this.findIn<R>(tables, filter, options) : []));
  }

  private findIn<R>(tables: CollectionTables, filter: Filter, { sort, skip = 0, limit = 0, projection }: FindOptions): R[] {
    const matches = compileFilter(filter);
    const wanted = limit > 0 ? skip + limit : Infinity;
    const found: StoredDocument[] = [];
    const { rows, sorted } = this.candidates(tables, filter, sort, wanted);
    for (const { document } of rows) {
      if (!matches(document)) continue;
      found.push(document);
      if (sorted && found.length >= wanted) break;
    }
    if (sort && !sorted) found.sort(comparatorOf(sort));
    const page = found.slice(skip, wanted);
    return (projection ? page.map((document) => projectDocument(document, projection)) : page) as R[];
  }

  private candidates(tables: CollectionTables, filter: Filter, sort: SortSpec | undefined, wanted = Infinity): { rows: Iterable<Row>; sorted: boolean } {
    const plan = planQuery(filter, sort, tables.indexes, (scan, cap) => tables.rowsIn(scan, cap));
    switch (plan.kind) {
      case 'ids':
        return { rows: tables.getMany(plan.ids), sorted: false };
      case 'index':
        return plan.ordered
          ? { rows: tables.scan(plan.scan, plan.descending ? 'descending' : 'ascending'), sorted: true }
          : { rows: tables.scan(plan.scan), sorted: false };
      case 'union':
        return { rows: unionOf(plan.scans.map((scan) => tables.scan(scan))), sorted: false };
      case 'covered-range':
        return { rows: tables.coveredRange(plan.scans, plan.sortFrom, plan.descending, Math.min(wanted, 1000)), sorted: true };
      case 'sorted-range':
        return { rows: tables.sortedRange(plan.scans, plan.order, plan.descending, Math.min(wanted, 1000)), sorted: true };
      case 'collection':
        return { rows: tables.all(), sorted: false };
    }
  }

  /** Every stored document the filter matches, read before any of them is written. */
  private matching(tables: CollectionTables, filter: Filter, limit = Infinity): Row[] {
    const matches = compileFilter(filter);
    const found: Row[] = [];
    for (const row of this.candidates(tables, filter, undefined).rows) {
      if (!matches(row.document)) continue;
      found.push(row);
      if (found.length >= limit) break;
    }
    return found;
  }

  private updateOneNow(filter: Filter, update: Update, upsert: boolean): UpdateResult {
    const tables = this.catalog.tablesOf(this.name);
    const [match] = tables ? this.matching(tables, filter, 1) : [];
    if (match) return { matched: 1, modified: this.modify(tables!, match, update) ? 1 : 0, upserted: false };
    if (!upsert) return { matched: 0, modified: 0, upserted: false };
    const { $setOnInsert, ...modifier } = update;
    const document = upsertSeed(filter);
    applyUpdate(document, { ...modifier, $set: { ...$setOnInsert, ...modifier.$set } });
    if (typeof document._id !== 'string') throw new Error('an upsert needs a string _id in its filter or its update');
    this.catalog.tablesOrCreated(this.name).insert(document as StoredDocument);
    return { matched: 0, modified: 0, upserted: true };
  }

  private replaceOneNow(filter: Filter, replacement: T, upsert: boolean): UpdateResult {
    const tables = this.catalog.tablesOf(this.name);
    const [match] = tables ? this.matching(tables, filter, 1) : [];
    // Stored as JSON, and read back from it: what the caller keeps of `replacement` is not shared.
    const json = JSON.stringify(replacement);
    const document = JSON.parse(json) as StoredDocument;
    if (match) {
      if (document._id !== match.document._id) {
        throw new Error(`replaceOne cannot change _id '${match.document._id}' to '${document._id}'`);
      }
      return { matched: 1, modified: tables!.replace(match, document, json) ? 1 : 0, upserted: false };
    }
    if (!upsert) return { matched: 0, modified: 0, upserted: false };
    this.catalog.tablesOrCreated(this.name).insert(document, json);
    return { matched: 0, modified: 0, upserted: true };
  }

  private deleteNow(filter: Filter, limit: number): number {
    const tables = this.catalog.tablesOf(this.name);
    if (!tables) return 0;
    const matches = this.matching(tables, filter, limit);
    for (const match of matches) tables.delete(match);
    return matches.length;
  }

  /** Applies the update to the stored document; `$setOnInsert` does nothing here. */
  private modify(tables: CollectionTables, match: Row, update: Update): boolean {
    const next = structuredClone(match.document);
    return applyUpdate(next, update) && tables.replace(match, next);
  }
}

function comparatorOf(sort: SortSpec): (a: StoredDocument, b: StoredDocument) => number {
  const keys = Object.entries(sort);
  return (a, b) => {
    for (const [path, direction] of keys) {
      const order = compareValues(sortValue(a, path, direction), sortValue(b, path, direction)) * direction;
      if (order !== 0) return order;
    }
    return 0;
  };
}

function addUpdate(total: BulkWriteResult, result: UpdateResult): void {
  total.matched += result.matched;
  total.modified += result.modified;
  if (result.upserted) total.upserted += 1;
}

/** The rows of several scans, each document once. */
function* unionOf(scans: Iterable<Row>[]): Generator<Row> {
  const seen = new Set<string>();
  for (const scan of scans) {
    for (const row of scan) {
      if (seen.has(row.document._id)) continue;
      seen.add(row.document._id);
      yield row;
    }
  }
}
