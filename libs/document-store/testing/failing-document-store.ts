import { DocumentStoreUnavailableError, type BulkWriteOperation, type DocumentCollection, type DocumentStore } from '../document-store.port.js';

/**
 * A DocumentStore that crashes one write of many documents half-way: the `failOn`-th bulk write
 * (counted over all collections; with `insertsToo`, bulk writes and insertMany calls) applies the
 * first half of its operations, then throws, as a process or connection dying mid-write would.
 * Every other call goes straight through. With `unavailable`, it throws the adapters' error for a
 * store that did not answer, which a rebuild retries (any other error stops a rebuild; a live
 * loop retries every error).
 */
export class FailingDocumentStore implements DocumentStore {
  private writes = 0;
  failures = 0;

  constructor(
    private readonly inner: DocumentStore,
    private readonly failOn: number,
    private readonly options: { unavailable?: boolean; insertsToo?: boolean } = {},
  ) {}

  collection<T extends { _id: string }>(name: string): DocumentCollection<T> {
    const collection = this.inner.collection<T>(name);
    const crashing = <I, R>(write: (items: I[]) => Promise<R>) => async (items: I[]): Promise<R> => {
      if (++this.writes !== this.failOn) return write(items);
      this.failures++;
      await write(items.slice(0, Math.ceil(items.length / 2)));
      const message = `injected failure in the middle of a write to ${name}`;
      throw this.options.unavailable ? new DocumentStoreUnavailableError(message) : new Error(message);
    };
    return Object.assign(Object.create(collection) as DocumentCollection<T>, {
      bulkWrite: crashing((operations: BulkWriteOperation<T>[]) => collection.bulkWrite(operations)),
      ...(this.options.insertsToo && { insertMany: crashing((documents: T[]) => collection.insertMany(documents)) }),
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
