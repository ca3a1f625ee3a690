import type { DocumentCollection, DocumentStore } from '../document-store.port.js';
import { MemoryDocumentCollection } from './memory-document-collection.js';
import type { StoredCollection } from './stored-collection.js';

/** The embedded read-model store: collections in process memory, queried with mingo. */
export class MemoryDocumentStore implements DocumentStore {
  private readonly catalog = new Map<string, StoredCollection>();

  collection<T extends { _id: string }>(name: string): DocumentCollection<T> {
    return new MemoryDocumentCollection<T>(name, this.catalog);
  }

  async dropCollection(name: string): Promise<void> {
    this.catalog.delete(name);
  }

  async renameCollection(from: string, to: string, _options: { dropTarget: true }): Promise<void> {
    const source = this.catalog.get(from);
    if (!source) throw new Error(`cannot rename '${from}': the collection does not exist`);
    this.catalog.delete(from);
    source.name = to;
    this.catalog.set(to, source);
  }

  async listCollections(): Promise<string[]> {
    return [...this.catalog.keys()].sort();
  }

  async close(): Promise<void> {
    this.catalog.clear();
  }
}
