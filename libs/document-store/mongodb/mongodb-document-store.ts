import { randomUUID } from 'node:crypto';
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import type { DocumentCollection, DocumentStore } from '../document-store.port.js';
import { MongoDbDocumentCollection, type CollectionWrites } from './mongodb-document-collection.js';
import { bounded, boundedClientOptions, GivenUpWrites } from './bounded-mongodb.js';
import { RenewingClient } from './renewing-client.js';

const NAMESPACE_NOT_FOUND = 26;
const NOT_IMPLEMENTED = 238;

/** Read models in a MongoDB-protocol database (MongoDB, FerretDB, DocumentDB, Cosmos DB). */
export class MongoDbDocumentStore implements DocumentStore {
  private readonly givenUpWrites = new Map<string, GivenUpWrites>();

  private constructor(
    private readonly client: RenewingClient,
    private readonly writes: CollectionWrites,
  ) {}

  static async connect(uri: string, dbName: string): Promise<MongoDbDocumentStore> {
    const first = await bounded(() => MongoClient.connect(uri, boundedClientOptions(uri)));
    try {
      const writes = { oneUpdatePerCommand: await isFerretDb(first) };
      return new MongoDbDocumentStore(new RenewingClient(first, () => MongoClient.connect(uri, boundedClientOptions(uri)), dbName), writes);
    } catch (error) {
      await first.close().catch(() => undefined);
      throw error;
    }
  }

  collection<T extends { _id: string }>(name: string): DocumentCollection<T> {
    let givenUp = this.givenUpWrites.get(name);
    if (!givenUp) this.givenUpWrites.set(name, (givenUp = new GivenUpWrites()));
    return new MongoDbDocumentCollection<T>(name, this.client, this.writes, givenUp);
  }

  async dropCollection(name: string): Promise<void> {
    try {
      await this.onDb((db) => db.dropCollection(name));
    } catch (error) {
      // Servers before MongoDB 7 refuse to drop a missing collection.
      if (!(error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND)) throw error;
    }
  }

  async renameCollection(from: string, to: string, options: { dropTarget: true }): Promise<void> {
    try {
      await this.onDb((db) => db.renameCollection(from, to, options));
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === NOT_IMPLEMENTED)) throw error;
      await this.renameMovingTargetAside(from, to);
    }
  }

  async listCollections(): Promise<string[]> {
    const collections = await this.onDb((db) => db.listCollections({}, { nameOnly: true }).toArray());
    return collections
      .map((collection) => collection.name)
      .filter((name) => !name.startsWith('system.'))
      .sort();
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** A call on the database of the current client (it may have been renewed), bounded. */
  private onDb<R>(operation: (db: Db) => Promise<R>): Promise<R> {
    return this.client.call(() => operation(this.client.db()));
  }

  /**
   * For servers without `dropTarget` (FerretDB answers NotImplemented): move the target aside,
   * rename the source into its place, drop the old target. Readers may find the name empty
   * for the one round trip between the two renames.
   */
  private async renameMovingTargetAside(from: string, to: string): Promise<void> {
    const targetExists = (await this.onDb((db) => db.listCollections({ name: to }, { nameOnly: true }).toArray())).length > 0;
    if (!targetExists) {
      await this.onDb((db) => db.renameCollection(from, to));
      return;
    }
    const aside = `${to}_replaced_${randomUUID().replaceAll('-', '')}`;
    await this.onDb((db) => db.renameCollection(to, aside));
    try {
      await this.onDb((db) => db.renameCollection(from, to));
    } catch (error) {
      await this.onDb((db) => db.renameCollection(aside, to));
      throw error;
    }
    await this.onDb((db) => db.dropCollection(aside));
  }
}

/**
 * FerretDB answers buildInfo with its own version. A server that does not answer buildInfo is
 * taken for what it most likely is, not FerretDB: its bulk writes stay whole.
 */
async function isFerretDb(client: MongoClient): Promise<boolean> {
  try {
    const info = await bounded(() => client.db('admin').command({ buildInfo: 1 }));
    return typeof info.ferretdbVersion === 'string';
  } catch (error) {
    if (error instanceof MongoServerError) return false;
    throw error;
  }
}
