import { MongoBulkWriteError, MongoNetworkError, MongoServerError, MongoServerSelectionError, type MongoClientOptions } from 'mongodb';
import { ConnectionString } from 'mongodb-connection-string-url';
import { DocumentStoreUnavailableError } from '../document-store.port.js';

/**
 * Every call to MongoDB is bounded: the pool waits at most 3 s for a connection, server
 * selection and connecting fail after 3 s, each operation asks the server to give up after
 * MAX_TIME_MS, and `bounded` gives up on a call after CALL_LIMIT_MS.
 * A setting given in MONGODB_URI wins over these defaults.
 */
export const MAX_TIME_MS = 4_000;
/**
 * The longest a caller waits for one call (a connection, 3 s at most, then the answer). Giving up
 * leaves the driver's connection checked out until the server answers: see socketTimeoutMS below.
 */
export const CALL_LIMIT_MS = 8_000;
const DEFAULTS = {
  // Also what keeps FerretDB 1.24 from deadlocking (test/ferretdb/reproduce-hang.mjs): the sum of
  // every process's pool must stay below FerretDB's backend pool (PostgreSQL 50, SQLite 100).
  maxPoolSize: 20,
  waitQueueTimeoutMS: 3_000,
  serverSelectionTimeoutMS: 3_000,
  connectTimeoutMS: 3_000,
  // Not the bound of a call (CALL_LIMIT_MS is): only for a server gone without a word. A socket
  // timeout closes the connection, but FerretDB goes on running the command it was sent (it
  // ignores maxTimeMS on writes and does not notice the client left), while the pool opens a new
  // connection for the next one. A short one (it was 5 s) let FerretDB, slow after an outage,
  // collect far more of our updates than maxPoolSize, until they held every backend connection
  // of the read models' database and it deadlocked for good (docs/notes/issue-11.md). With the
  // connection kept until the server answers, maxPoolSize bounds what the server runs for this
  // client (plus, once per outage, the commands of the connections a failed heartbeat closes).
  socketTimeoutMS: 60_000,
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

/**
 * The writes to one collection that a caller gave up on while the driver's operation went on.
 *
 * A writer that orders its own writes (a projection's checkpoint, a lease term, a heartbeat:
 * each document has one writer) stops waiting for a write at CALL_LIMIT_MS and then writes
 * again, while the server may still run the first. FerretDB 1.24 loses one of two concurrent
 * updates of a document (it reads, then writes the whole document), so a late `$max: 21` could
 * overwrite the `$max: 25` sent after it and take a checkpoint back (docs/notes/issue-11.md).
 * So a collection's next write waits until every write given up on has been answered, within
 * its own CALL_LIMIT_MS: while the server is silent no second write goes out after it.
 */
export class GivenUpWrites {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly forgetAfterMs: number = DEFAULTS.socketTimeoutMS) {}

  /**
   * Waited for until answered, or at most socketTimeoutMS: the driver's operation can stay
   * pending for good after its connection timed out (a write waiting for the socket to drain
   * is never told that the socket was destroyed), and its connection is gone by then.
   */
  add(operation: Promise<unknown>): void {
    const forget = (): void => {
      clearTimeout(timer);
      this.running.delete(settled);
    };
    const timer = setTimeout(forget, this.forgetAfterMs).unref();
    const settled: Promise<void> = operation.then(forget, forget);
    this.running.add(settled);
  }

  /** Resolves once every write given up on so far has been answered (or failed). */
  settled(): Promise<unknown> {
    return Promise.all(this.running);
  }
}

/**
 * Runs a driver call, turning its timeouts and connection failures into DocumentStoreUnavailableError.
 * A call without an answer after CALL_LIMIT_MS is given up as unavailable; the driver's operation
 * goes on (its connection stays out of the pool) until the server answers. A write given
 * `givenUp` first waits, within the same limit, for the writes given up on before it.
 */
export async function bounded<R>(call: () => Promise<R>, what?: string, givenUp?: GivenUpWrites): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new DocumentStoreUnavailableError(`${what ?? 'the read-model database'} did not answer within ${CALL_LIMIT_MS / 1000} s`);
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeout), CALL_LIMIT_MS);
  });
  let operation: Promise<R> | undefined;
  try {
    if (givenUp) await Promise.race([givenUp.settled(), limit]);
    operation = call();
    return await Promise.race([operation, limit]);
  } catch (error) {
    if (error === timeout && operation) givenUp?.add(operation);
    throw asUnavailable(error, what);
  } finally {
    clearTimeout(timer);
  }
}
