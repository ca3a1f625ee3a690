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
import { bounded, MAX_TIME_MS } from './bounded-mongodb.js';

/** Asks the server to give up after MAX_TIME_MS; the client's socket timeout bounds it too. */
const limit = { maxTimeMS: MAX_TIME_MS } as const;

/** The port's operations mapped one to one onto the driver's; the port's types are a subset. */
export class MongoDbDocumentCollection<T extends { _id: string }> implements DocumentCollection<T> {
  constructor(private readonly collection: Collection<Document>) {}

  async findOne(filter: Filter): Promise<T | null> {
    return (await bounded(() => this.collection.findOne(filter, limit))) as T | null;
  }

  async find<R = T>(filter: Filter, options: FindOptions = {}): Promise<R[]> {
    return (await bounded(() => this.collection.find(filter, { ...options, ...limit }).toArray())) as R[];
  }

  async count(filter: Filter): Promise<number> {
    return bounded(() => this.collection.countDocuments(filter, limit));
  }

  async insertMany(docs: T[]): Promise<void> {
    // The driver refuses an empty batch.
    if (docs.length > 0) await bounded(() => this.collection.insertMany(docs as Document[], limit));
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
    if (operations.length === 0) return { matched: 0, modified: 0, upserted: 0, deleted: 0 };
    const result = await this.write(() =>
      this.collection.bulkWrite(operations as AnyBulkWriteOperation<Document>[], { ordered: true, ...limit }),
    );
    return {
      matched: result.matchedCount,
      modified: result.modifiedCount,
      upserted: result.upsertedCount,
      deleted: result.deletedCount,
    };
  }

  async deleteOne(filter: Filter): Promise<number> {
    return (await bounded(() => this.collection.deleteOne(filter as MongoFilter<Document>, limit))).deletedCount;
  }

  async deleteMany(filter: Filter): Promise<number> {
    return (await bounded(() => this.collection.deleteMany(filter as MongoFilter<Document>, limit))).deletedCount;
  }

  async createIndex(keys: IndexKeys, options: { unique?: boolean; name?: string } = {}): Promise<void> {
    await bounded(() => this.collection.createIndex(keys, options));
  }

  private write<R>(operation: () => Promise<R>): Promise<R> {
    return bounded(() => withFerretDbUniqueViolationsAsDuplicateKeys(this.collection.collectionName, operation));
  }
}
