import type { BulkWriteOperation, DocumentCollection, DocumentStore } from '../document-store.port.js';

/**
 * A DocumentStore that crashes one bulk write half-way: the `failOnBulkWrite`-th bulk write
 * (counted over all collections) applies the first half of its operations, then throws, as a
 * process or connection dying mid-write would. Every other call goes straight through.
 */
export class FailingDocumentStore implements DocumentStore {
  private bulkWrites = 0;
  failures = 0;

  constructor(
    private readonly inner: DocumentStore,
    private readonly failOnBulkWrite: number,
  ) {}

  collection<T extends { _id: string }>(name: string): DocumentCollection<T> {
    const collection = this.inner.collection<T>(name);
    return Object.assign(Object.create(collection) as DocumentCollection<T>, {
      bulkWrite: async (operations: BulkWriteOperation<T>[]) => {
        if (++this.bulkWrites !== this.failOnBulkWrite) return collection.bulkWrite(operations);
        this.failures++;
        await collection.bulkWrite(operations.slice(0, Math.ceil(operations.length / 2)));
        throw new Error(`injected failure in the middle of a bulk write to ${name}`);
      },
    });
  }

  dropCollection(name: string): Promise<void> {
    return this.inner.dropCollection(name);
  }

  renameCollection(from: string, to: string, options: { dropTarget: true }): Promise<void> {
    return this.inner.renameCollection(from, to, options);
  }

  listCollections(): Promise<string[]> {
    return this.inner.listCollections();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
