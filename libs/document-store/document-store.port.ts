/**
 * The DocumentStore port: the few collection operations that projections and query handlers
 * need, limited to what MongoDB, FerretDB, Amazon DocumentDB and Cosmos DB share (no
 * transactions, no change streams, no `$lookup`, no text indexes).
 *
 * Filters use the common Mongo query operators: `$eq`, `$in`, `$all`, `$gt`/`$gte`/`$lt`/`$lte`,
 * `$and`, `$or`, `$exists`, `$regex` (anchored prefixes such as `'^abc'`), dotted paths and
 * array element equality (`{ tokens: 'ann' }`).
 *
 * Idempotent writes record the last applied position in the document and guard on it:
 * `updateOne({ _id, position: { $lt: p } }, update, { upsert: true })`. When the document
 * exists and the guard rejects it, the server tries to insert a second document with the
 * same `_id` and fails with a duplicate-key error (code 11000); that means "already
 * applied". `guardedUpsert` (guarded-upsert.ts) wraps the pattern.
 *
 * Only a unique insert is atomic on every store: FerretDB 1.24 reads, then writes, so two
 * concurrent conditional updates of one document can both apply and concurrent `$set`s of
 * different fields lose one another. Hence each document has one writer at a time (the
 * projection's lease holder), and mutual exclusion (the lease, a rebuild's pause) is built on
 * unique inserts (libs/projections/projection-lease.ts, rebuild-pause.ts).
 */

export type Filter = { [pathOrOperator: string]: unknown };

export type SortSpec = { [path: string]: 1 | -1 };

/** Either only inclusions (1) or only exclusions (0); `_id` may be excluded from inclusions. */
export type Projection = { [path: string]: 0 | 1 };

export type IndexKeys = { [path: string]: 1 | -1 };

type FieldValues = { [path: string]: unknown };

export interface Update {
  $set?: FieldValues;
  $unset?: { [path: string]: '' };
  $addToSet?: FieldValues;
  $pull?: FieldValues;
  /** Applied only when the update inserts the document (upsert). */
  $setOnInsert?: FieldValues;
  $max?: FieldValues;
}

export interface FindOptions {
  sort?: SortSpec;
  skip?: number;
  limit?: number;
  projection?: Projection;
}

export interface UpdateResult {
  matched: number;
  modified: number;
  upserted: boolean;
}

export interface BulkWriteResult {
  matched: number;
  modified: number;
  upserted: number;
  deleted: number;
}

export type BulkWriteOperation<T> =
  | { updateOne: { filter: Filter; update: Update; upsert?: boolean } }
  | { replaceOne: { filter: Filter; replacement: T; upsert?: boolean } }
  | { deleteOne: { filter: Filter } }
  | { deleteMany: { filter: Filter } };

export interface DocumentCollection<T extends { _id: string }> {
  findOne(filter: Filter): Promise<T | null>;
  /** `R` is the shape the projection leaves; without a projection it is `T`. */
  find<R = T>(filter: Filter, options?: FindOptions): Promise<R[]>;
  count(filter: Filter): Promise<number>;
  /** In order; stops at the first failure, keeping the documents inserted before it. */
  insertMany(docs: T[]): Promise<void>;
  /** On upsert the new document takes the equality fields of the filter (such as `_id`). */
  updateOne(filter: Filter, update: Update, options?: { upsert?: boolean }): Promise<UpdateResult>;
  updateMany(filter: Filter, update: Update): Promise<Omit<UpdateResult, 'upserted'>>;
  replaceOne(filter: Filter, replacement: T, options?: { upsert?: boolean }): Promise<UpdateResult>;
  /**
   * Runs the operations in order and stops at the first failure. (FerretDB stops there even
   * when asked for unordered execution, so the port offers ordered execution only.)
   */
  bulkWrite(operations: BulkWriteOperation<T>[]): Promise<BulkWriteResult>;
  /** Resolves to the number of documents deleted. */
  deleteOne(filter: Filter): Promise<number>;
  deleteMany(filter: Filter): Promise<number>;
  /** Idempotent for the same keys and options. A unique index treats a missing field as null. */
  createIndex(keys: IndexKeys, options?: { unique?: boolean; name?: string }): Promise<void>;
}

export interface DocumentStore {
  /** A handle bound to the name: after a rename it sees whatever collection holds the name. */
  collection<T extends { _id: string }>(name: string): DocumentCollection<T>;
  /** Idempotent: dropping a missing collection does nothing. */
  dropCollection(name: string): Promise<void>;
  /**
   * Swaps `from` in under the name `to`, replacing `to` with its documents and indexes, so
   * that a read model rebuilt into a fresh collection goes live in one step.
   */
  renameCollection(from: string, to: string, options: { dropTarget: true }): Promise<void>;
  /** Names of the collections that exist (created by a write or an index), sorted. */
  listCollections(): Promise<string[]>;
  /**
   * Makes what was deleted or overwritten so far unrecoverable from the store's own files
   * (crypto-shredding of a contact removes its read-model documents). Absent where the server
   * manages its storage (MongoDB).
   */
  shredDeleted?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The store did not answer within its bounds (driver timeouts, `maxTimeMS`, a busy SQLite file)
 * or cannot be reached: a request answers 503 with Retry-After, a projection retries later.
 */
export class DocumentStoreUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DocumentStoreUnavailableError';
  }
}

export const DUPLICATE_KEY_ERROR_CODE = 11000;

/** Shaped like the MongoDB server's E11000 error; the SQLite adapter throws it, and the MongoDB adapter for FerretDB's unique violations. */
export class DuplicateKeyError extends Error {
  readonly code = DUPLICATE_KEY_ERROR_CODE;

  constructor(collection: string, index: string, options?: ErrorOptions) {
    super(`E11000 duplicate key error collection: ${collection} index: ${index}`, options);
    this.name = 'DuplicateKeyError';
  }
}

/** True for a unique-index violation from any adapter (including MongoDB bulk write errors). */
export function isDuplicateKeyError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === DUPLICATE_KEY_ERROR_CODE
  );
}
