import { MongoServerError } from 'mongodb';
import { DuplicateKeyError } from '../document-store.port.js';

const INTERNAL_ERROR = 1;
const SQLITE_UNIQUE_VIOLATION = /UNIQUE constraint failed: index '([^']+)'/;

/**
 * FerretDB (SQLite backend) reports an update, a replacement or an index build that breaks a unique index as
 * InternalError (code 1, "UNIQUE constraint failed: index '…'") rather than E11000, while
 * inserts get a proper 11000. This rethrows the former as a DuplicateKeyError.
 */
export async function withFerretDbUniqueViolationsAsDuplicateKeys<R>(collection: string, write: () => Promise<R>): Promise<R> {
  try {
    return await write();
  } catch (error) {
    const violation = error instanceof MongoServerError && error.code === INTERNAL_ERROR && SQLITE_UNIQUE_VIOLATION.exec(error.message);
    if (violation) throw new DuplicateKeyError(collection, violation[1]!, { cause: error });
    throw error;
  }
}
