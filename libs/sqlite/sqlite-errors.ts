/**
 * What a better-sqlite3 error means, told by its code (and message), not by its class: an error of
 * the native module may come from another realm (jest's VM modules), where `instanceof` fails.
 */
const codeOf = (error: unknown): string => String((error as { code?: unknown } | null)?.code ?? '');

/** SQLITE_BUSY*: another connection held the file's lock past `busy_timeout`. */
export const isSqliteBusy = (error: unknown): boolean => codeOf(error).startsWith('SQLITE_BUSY');

/** SQLITE_FULL: the disk (or the file system's quota) is full; the transaction was undone. */
export const isSqliteFull = (error: unknown): boolean => codeOf(error) === 'SQLITE_FULL';

/** An INSERT of a row whose primary key the table already holds. */
export const isSqlitePrimaryKeyViolation = (error: unknown): boolean => codeOf(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY';

/** A statement named a table that is not (or no longer) in the file: another connection dropped it. */
export function isSqliteMissingTable(error: unknown): boolean {
  const { message } = (error ?? {}) as { message?: unknown };
  return codeOf(error) === 'SQLITE_ERROR' && typeof message === 'string' && message.startsWith('no such table');
}
