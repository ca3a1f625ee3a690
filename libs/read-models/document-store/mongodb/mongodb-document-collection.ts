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

/** The port's operations mapped one to one onto the driver's; the port's types are a subset. */
export class MongoDbDocumentCollection<T extends { _id: string }> implements DocumentCollection<T> {
  constructor(private readonly collection: Collection<Document>) {}

  async findOne(filter: Filter): Promise<T | null> {
    return (await this.collection.findOne(filter)) as T | null;
  }

  async find<R = T>(filter: Filter, options: FindOptions = {}): Promise<R[]> {
    return (await this.collection.find(filter, options).toArray()) as R[];
  }

  async count(filter: Filter): Promise<number> {
    return this.collection.countDocuments(filter);
  }

  async insertMany(docs: T[]): Promise<void> {
    // The driver refuses an empty batch.
    if (docs.length > 0) await this.collection.insertMany(docs as Document[]);
  }

  async updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    const result = await this.write(() => this.collection.updateOne(filter, update as UpdateFilter<Document>, options));
    return { matched: result.matchedCount, modified: result.modifiedCount, upserted: result.upsertedCount > 0 };
  }

  async updateMany(filter: Filter, update: Update): Promise<Omit<UpdateResult, 'upserted'>> {
    const result = await this.write(() => this.collection.updateMany(filter, update as UpdateFilter<Document>));
    return { matched: result.matchedCount, modified: result.modifiedCount };
  }

  async replaceOne(filter: Filter, replacement: T, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    const result = await this.write(() => this.collection.replaceOne(filter, replacement, options));
    return { matched: result.matchedCount, modified: result.modifiedCount, upserted: result.upsertedCount > 0 };
  }

  async bulkWrite(operations: BulkWriteOperation<T>[]): Promise<BulkWriteResult> {
    if (operations.length === 0) return { matched: 0, modified: 0, upserted: 0, deleted: 0 };
    const result = await this.write(() =>
      this.collection.bulkWrite(operations as AnyBulkWriteOperation<Document>[], { ordered: true }),
    );
    return {
      matched: result.matchedCount,
      modified: result.modifiedCount,
      upserted: result.upsertedCount,
      deleted: result.deletedCount,
    };
  }

  async deleteOne(filter: Filter): Promise<number> {
    return (await this.collection.deleteOne(filter as MongoFilter<Document>)).deletedCount;
  }

  async deleteMany(filter: Filter): Promise<number> {
    return (await this.collection.deleteMany(filter as MongoFilter<Document>)).deletedCount;
  }

  async createIndex(keys: IndexKeys, options: { unique?: boolean; name?: string } = {}): Promise<void> {
    await this.collection.createIndex(keys, options);
  }

  private write<R>(operation: () => Promise<R>): Promise<R> {
    return withFerretDbUniqueViolationsAsDuplicateKeys(this.collection.collectionName, operation);
  }
}
