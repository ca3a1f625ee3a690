import { randomBytes } from 'node:crypto';
import { Binary, MongoClient, type Collection } from 'mongodb';
import { KEY_LENGTH_BYTES, KeyDestroyedError, type KeyStore } from '../key-store.port.js';
import { bounded as boundedCall, boundedClientOptions } from '../../document-store/mongodb/bounded-mongodb.js';

type KeyDocument = { _id: string; key: Binary | null; createdAt: string; destroyedAt?: string };

const COLLECTION = 'personal_data_keys';
const TIMEOUT_MS = 5000;

/**
 * The production KeyStore: a MongoDB collection in a database of its own, apart from the read
 * models (which rebuilds drop and swap). Writes wait for a majority of the replica set with
 * journaling, so a key survives the loss of a node before any event sealed with it exists.
 * A destroy keeps a tombstone, so the key can never be created again under the same id.
 * Calls are bounded as the read models' are (bounded-mongodb.ts): a server that does not answer
 * gives DocumentStoreUnavailableError (503 with Retry-After), never a hang.
 */
export class MongoDbKeyStore implements KeyStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly keys: Collection<KeyDocument>,
  ) {}

  static async connect(uri: string, database: string): Promise<MongoDbKeyStore> {
    const client = await bounded(() => MongoClient.connect(uri, boundedClientOptions(uri)));
    const keys = client.db(database).collection<KeyDocument>(COLLECTION, { writeConcern: { w: 'majority', journal: true, wtimeoutMS: TIMEOUT_MS } });
    return new MongoDbKeyStore(client, keys);
  }

  async getOrCreate(keyId: string): Promise<Buffer> {
    const existing = await bounded(() => this.keys.findOne({ _id: keyId }, { maxTimeMS: TIMEOUT_MS }));
    if (existing) return keyOf(existing, keyId);
    try {
      await bounded(() => this.keys.insertOne({ _id: keyId, key: new Binary(randomBytes(KEY_LENGTH_BYTES)), createdAt: new Date().toISOString() }));
    } catch (error) {
      if ((error as { code?: unknown }).code !== 11000) throw error;
    }
    // Another writer may have created (or destroyed) it first: the stored document decides.
    const stored = await bounded(() => this.keys.findOne({ _id: keyId }, { maxTimeMS: TIMEOUT_MS }));
    if (!stored) throw new Error(`the key ${keyId} was not stored`);
    return keyOf(stored, keyId);
  }

  async getMany(keyIds: readonly string[]): Promise<Map<string, Buffer | null>> {
    const found = keyIds.length > 0 ? await bounded(() => this.keys.find({ _id: { $in: [...keyIds] } }, { maxTimeMS: TIMEOUT_MS }).toArray()) : [];
    const byId = new Map(found.map((document) => [document._id, document.key ? Buffer.from(document.key.buffer) : null]));
    return new Map(keyIds.map((keyId) => [keyId, byId.get(keyId) ?? null]));
  }

  async destroy(keyId: string): Promise<void> {
    const now = new Date().toISOString();
    await bounded(() => this.keys.updateOne({ _id: keyId }, { $set: { key: null, destroyedAt: now }, $setOnInsert: { createdAt: now } }, { upsert: true }));
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function keyOf(document: KeyDocument, keyId: string): Buffer {
  if (!document.key) throw new KeyDestroyedError(keyId);
  return Buffer.from(document.key.buffer);
}

const bounded = <R>(call: () => Promise<R>): Promise<R> => boundedCall(call, 'the key store');
