import type { AnyBulkWriteOperation, Collection, Document, Filter as MongoFilter, UpdateFilter } from 'mongodb';
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
import { withFerretDbUniqueViolationsAsDuplicateKeys } from './ferretdb-unique-violation.js';
import { MAX_TIME_MS, type GivenUpWrites } from './bounded-mongodb.js';
import type { RenewingClient } from './renewing-client.js';

/** Asks the server to give up after MAX_TIME_MS (FerretDB does so for reads only); `bounded` stops waiting after CALL_LIMIT_MS. */
const limit = { maxTimeMS: MAX_TIME_MS } as const;

/** How the server takes bulk writes. */
export type CollectionWrites = {
  /**
   * Each update or replacement of a bulk write in a command of its own. For FerretDB 1.24: its
   * `update` command keeps every statement's query iterator, each holding one backend connection
   * (SQLite: 100 per database), until the whole command ends, and each statement then needs one
   * more for its write; a few bulk writes of a few dozen updates of existing documents at once
   * took all 100 and deadlocked the database for good (docs/notes/issue-11.md, the outage fault).
   * One statement per command holds at most one connection while it waits for another, so no
   * deadlock as long as fewer than 100 updates run at once (maxPoolSize, bounded-mongodb.ts).
   */
  oneUpdatePerCommand: boolean;
};

/** The port's operations mapped one to one onto the driver's; the port's types are a subset. */
export class MongoDbDocumentCollection<T extends { _id: string }> implements DocumentCollection<T> {
  constructor(
    private readonly name: string,
    private readonly client: RenewingClient,
    private readonly writes: CollectionWrites,
    /** This collection's, shared by every handle on it in the store. */
    private readonly givenUp: GivenUpWrites,
  ) {}

  /** Resolved at each call: the client may have been renewed. */
  private get collection(): Collection<Document> {
    return this.client.collection(this.name);
  }

  async findOne(filter: Filter): Promise<T | null> {
    return (await this.client.call(() => this.collection.findOne(filter, limit))) as T | null;
  }

  async find<R = T>(filter: Filter, options: FindOptions = {}): Promise<R[]> {
    return (await this.client.call(() => this.collection.find(filter, { ...options, ...limit }).toArray())) as R[];
  }

  async count(filter: Filter): Promise<number> {
    return this.client.call(() => this.collection.countDocuments(filter, limit));
  }

  async insertMany(docs: T[]): Promise<void> {
    // The driver refuses an empty batch.
    if (docs.length > 0) await this.write(() => this.collection.insertMany(docs as Document[], limit));
  }

  async updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    const result = await this.write(() => this.collection.updateOne(filter, update as UpdateFilter<Document>, { ...options, ...limit }));
    return { matched: result.matchedCount, modified: result.modifiedCount, upserted: result.upsertedCount > 0 };
  }

  async updateMany(filter: Filter, update: Update): Promise<Omit<UpdateResult, 'upserted'>> {
    const result = await this.write(() => this.collection.updateMany(filter, update as UpdateFilter<Document>, limit));
    return { matched: result.matchedCount, modified: result.modifiedCount };
  }

  async replaceOne(filter: Filter, replacement: T, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    const result = await this.write(() => this.collection.replaceOne(filter, replacement, { ...options, ...limit }));
    return { matched: result.matchedCount, modified: result.modifiedCount, upserted: result.upsertedCount > 0 };
  }

  async bulkWrite(operations: BulkWriteOperation<T>[]): Promise<BulkWriteResult> {
    const total: BulkWriteResult = { matched: 0, modified: 0, upserted: 0, deleted: 0 };
    // In order, as one ordered bulk write: the first failure stops it, what came before stays.
    for (const command of this.commandsOf(operations)) {
      const result = await this.write(() => this.collection.bulkWrite(command as AnyBulkWriteOperation<Document>[], { ordered: true, ...limit }));
      total.matched += result.matchedCount;
      total.modified += result.modifiedCount;
      total.upserted += result.upsertedCount;
      total.deleted += result.deletedCount;
    }
    return total;
  }

  /** The bulk write in one piece, or (oneUpdatePerCommand) cut after each update or replacement. */
  private commandsOf(operations: BulkWriteOperation<T>[]): BulkWriteOperation<T>[][] {
    if (!this.writes.oneUpdatePerCommand) return operations.length > 0 ? [operations] : [];
    const commands: BulkWriteOperation<T>[][] = [];
    let current: BulkWriteOperation<T>[] = [];
    for (const operation of operations) {
      current.push(operation);
      if ('updateOne' in operation || 'replaceOne' in operation) {
        commands.push(current);
        current = [];
      }
    }
    if (current.length > 0) commands.push(current);
    return commands;
  }

  async deleteOne(filter: Filter): Promise<number> {
    return (await this.write(() => this.collection.deleteOne(filter as MongoFilter<Document>, limit))).deletedCount;
  }

  async deleteMany(filter: Filter): Promise<number> {
    return (await this.write(() => this.collection.deleteMany(filter as MongoFilter<Document>, limit))).deletedCount;
  }

  async createIndex(keys: IndexKeys, options: { unique?: boolean; name?: string } = {}): Promise<void> {
    // A unique index that the stored documents break fails as a duplicate key, as on MongoDB.
    await this.client.call(() => withFerretDbUniqueViolationsAsDuplicateKeys(this.name, () => this.collection.createIndex(keys, options)));
  }

  /** A write, after the writes to this collection given up on have been answered (GivenUpWrites). */
  private write<R>(operation: () => Promise<R>): Promise<R> {
    return this.client.call(() => withFerretDbUniqueViolationsAsDuplicateKeys(this.name, operation), undefined, this.givenUp);
  }
}
