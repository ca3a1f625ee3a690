import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isSqliteBusy, isSqliteFull, isSqliteMissingTable } from './sqlite-errors.js';

/** The error a SQLite call throws, caught. */
function errorOf(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('the call did not throw');
}

describe('SQLite errors, as better-sqlite3 throws them', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-errors-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('tells a file locked by another connection', () => {
    const file = join(dir, 'locked.sqlite');
    const holder = new Database(file);
    const other = new Database(file, { timeout: 0 });
    holder.exec('CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)');
    const error = errorOf(() => other.exec('INSERT INTO t VALUES (2)'));
    expect([isSqliteBusy(error), isSqliteFull(error), isSqliteMissingTable(error)]).toEqual([true, false, false]);
    holder.exec('COMMIT');
    holder.close();
    other.close();
  });

  it('tells a file that cannot grow', () => {
    const db = new Database(join(dir, 'full.sqlite'));
    db.exec('CREATE TABLE t (x)');
    db.pragma('max_page_count = 3');
    const error = errorOf(() => db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(100_000)));
    expect([isSqliteBusy(error), isSqliteFull(error), isSqliteMissingTable(error)]).toEqual([false, true, false]);
    db.close();
  });

  it('tells a table that is not there, and nothing else', () => {
    const db = new Database(':memory:');
    const missing = errorOf(() => db.prepare('SELECT * FROM gone').all());
    expect([isSqliteBusy(missing), isSqliteFull(missing), isSqliteMissingTable(missing)]).toEqual([false, false, true]);
    const syntax = errorOf(() => db.prepare('SELEC 1').all());
    expect([isSqliteBusy(syntax), isSqliteFull(syntax), isSqliteMissingTable(syntax)]).toEqual([false, false, false]);
    expect([isSqliteBusy(new Error('x')), isSqliteFull(undefined), isSqliteMissingTable(null)]).toEqual([false, false, false]);
    db.close();
  });
});
