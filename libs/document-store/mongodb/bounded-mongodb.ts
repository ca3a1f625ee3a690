import { MongoBulkWriteError, MongoNetworkError, MongoServerError, MongoServerSelectionError, type MongoClientOptions } from 'mongodb';
import { ConnectionString } from 'mongodb-connection-string-url';
import { DocumentStoreUnavailableError } from '../document-store.port.js';

/**
 * Every call to MongoDB is bounded: the pool waits at most 3 s for a connection, server
 * selection and connecting fail after 3 s, a socket with no answer for 5 s is closed, and each
 * operation asks the server to give up after MAX_TIME_MS.
 * A setting given in MONGODB_URI wins over these defaults.
 */
export const MAX_TIME_MS = 4_000;
const DEFAULTS = {
  // Also what keeps FerretDB 1.24 from deadlocking (test/ferretdb/reproduce-hang.mjs): the sum of
  // every process's pool must stay below FerretDB's backend pool (PostgreSQL 50, SQLite 100).
  maxPoolSize: 20,
  waitQueueTimeoutMS: 3_000,
  serverSelectionTimeoutMS: 3_000,
  connectTimeoutMS: 3_000,
  // A request waits at most for a connection (3 s) and an answer (5 s): under 10 s.
  socketTimeoutMS: 5_000,
} as const satisfies MongoClientOptions;

/** The defaults above that the URI does not set itself. */
export function boundedClientOptions(uri: string): MongoClientOptions {
  const given = new Set([...new ConnectionString(uri).searchParams.keys()].map((key) => key.toLowerCase()));
  return Object.fromEntries(Object.entries(DEFAULTS).filter(([key]) => !given.has(key.toLowerCase())));
}

const MAX_TIME_MS_EXPIRED = 50;
/** Errors the driver does not export; known by name. */
const POOL_ERRORS = new Set(['MongoWaitQueueTimeoutError', 'MongoPoolClearedError', 'MongoPoolClosedError']);

/** A timeout, an unreachable server or a cleared pool, as DocumentStoreUnavailableError; anything else as is. */
export function asUnavailable(error: unknown, what = 'the read-model database'): unknown {
  const unavailable =
    error instanceof MongoNetworkError ||
    // A bulk write wraps a network error it met in a MongoBulkWriteError that copies its
    // properties (not its class): `beforeHandshake` is MongoNetworkError's own.
    (error instanceof MongoBulkWriteError && 'beforeHandshake' in error) ||
    error instanceof MongoServerSelectionError ||
    (error instanceof Error && POOL_ERRORS.has(error.name)) ||
    (error instanceof MongoServerError && error.code === MAX_TIME_MS_EXPIRED);
  return unavailable
    ? new DocumentStoreUnavailableError(`${what} did not answer in time: ${(error as Error).message}`, { cause: error })
    : error;
}

/** Runs a driver call, turning its timeouts and connection failures into DocumentStoreUnavailableError. */
export async function bounded<R>(call: () => Promise<R>, what?: string): Promise<R> {
  try {
    return await call();
  } catch (error) {
    throw asUnavailable(error, what);
  }
}
