import { EventStoreUnavailableError } from '../event-store/event-store.port.js';
import { toErrorResponse } from './error-mapping.js';

/** A full disk under a SQLite file is a store that cannot take writes for now: 503 (with Retry-After, set by the filter), not a bug's 500. */
describe('toErrorResponse for a full disk', () => {
  const sqliteFull = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

  it('answers 503 for SQLITE_FULL from any SQLite file (keys, embedded read models)', () => {
    expect(toErrorResponse(sqliteFull())).toMatchObject({ statusCode: 503, message: expect.stringContaining('no disk space left') });
  });

  it('answers 503 for the log refusing an append on a full disk (SQLITE_FULL as its cause)', () => {
    const error = new EventStoreUnavailableError('the disk of the event log is full', { cause: sqliteFull() });
    expect(toErrorResponse(error)).toMatchObject({ statusCode: 503, message: expect.stringContaining('no disk space left') });
  });

  it('leaves other SQLite errors to the 500 of a bug', () => {
    expect(toErrorResponse(Object.assign(new Error('no such table: x'), { code: 'SQLITE_ERROR' }))).toBeUndefined();
  });
});
