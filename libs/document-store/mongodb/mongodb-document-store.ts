import { randomUUID } from 'node:crypto';
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import type { DocumentCollection, DocumentStore } from '../document-store.port.js';
import { MongoDbDocumentCollection } from './mongodb-document-collection.js';
import { bounded, boundedClientOptions } from './bounded-mongodb.js';

const NAMESPACE_NOT_FOUND = 26;
const NOT_IMPLEMENTED = 238;

/** Read models in a MongoDB-protocol database (MongoDB, FerretDB, DocumentDB, Cosmos DB). */
export class MongoDbDocumentStore implements DocumentStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  static async connect(uri: string, dbName: string): Promise<MongoDbDocumentStore> {
    const client = await bounded(() => MongoClient.connect(uri, boundedClientOptions(uri)));
    return new MongoDbDocumentStore(client, client.db(dbName));
  }

  collection<T extends { _id: string }>(name: string): DocumentCollection<T> {
    return new MongoDbDocumentCollection<T>(this.db.collection(name));
  }

  async dropCollection(name: string): Promise<void> {
    try {
      await bounded(() => this.db.dropCollection(name));
    } catch (error) {
      // Servers before MongoDB 7 refuse to drop a missing collection.
      if (!(error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND)) throw error;
    }
  }

  async renameCollection(from: string, to: string, options: { dropTarget: true }): Promise<void> {
    try {
      await bounded(() => this.db.renameCollection(from, to, options));
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === NOT_IMPLEMENTED)) throw error;
      await this.renameMovingTargetAside(from, to);
    }
  }

  async listCollections(): Promise<string[]> {
    const collections = await bounded(() => this.db.listCollections({}, { nameOnly: true }).toArray());
    return collections
      .map((collection) => collection.name)
      .filter((name) => !name.startsWith('system.'))
      .sort();
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * For servers without `dropTarget` (FerretDB answers NotImplemented): move the target aside,
   * rename the source into its place, drop the old target. Readers may find the name empty
   * for the one round trip between the two renames.
   */
  private async renameMovingTargetAside(from: string, to: string): Promise<void> {
    const targetExists = (await this.db.listCollections({ name: to }, { nameOnly: true }).toArray()).length > 0;
    if (!targetExists) {
      await this.db.renameCollection(from, to);
      return;
    }
    const aside = `${to}_replaced_${randomUUID().replaceAll('-', '')}`;
    await this.db.renameCollection(to, aside);
    try {
      await this.db.renameCollection(from, to);
    } catch (error) {
      await this.db.renameCollection(aside, to);
      throw error;
    }
    await this.db.dropCollection(aside);
  }
}
