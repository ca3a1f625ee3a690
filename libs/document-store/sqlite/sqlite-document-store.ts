import DatabaseConstructor, { type Database, type Statement } from 'better-sqlite3';
import type { DocumentCollection, DocumentStore } from '../document-store.port.js';
import { CollectionTables, type StoredIndex } from './collection-tables.js';
import { SqliteDocumentCollection, type CollectionCatalog } from './sqlite-document-collection.js';
import { isSqliteMissingTable } from '../../sqlite/sqlite-errors.js';

type CatalogRow = { name: string; id: number; indexes: string };
type WriteOutcome = { value: unknown } | { error: unknown };
/** The writes made in one wave of microtasks, waiting for their shared commit. */
interface WriteWave {
  writes: Array<{ outcome: WriteOutcome; resolve: (value: unknown) => void; reject: (error: unknown) => void }>;
  /** Each collection's number of indexes when the wave began: the indexes added are recorded at its commit. */
  indexCounts: Map<string, number>;
  failure?: { error: unknown };
}

/**
 * The embedded read-model store: documents as JSON in one SQLite file (WAL), with the
 * declared indexes as SQLite indexes, queried by a small planner (query-plan.ts). Read models
 * and their checkpoints survive a restart, so starting does not replay the log.
 *
 * `synchronous=NORMAL`: a power cut may lose the last commits but never tears one; the
 * projections then redo them from their checkpoint, which is written after the documents.
 * Several processes may share the file: a change of the catalog by another one (a CLI
 * rebuild's swap) is seen at the next call.
 */
export class SqliteDocumentStore implements DocumentStore, CollectionCatalog {
  private readonly catalog = new Map<string, CollectionTables>();
  private readonly prepared = new Map<string, Statement>();
  private readonly dataVersion: Statement;
  private seenDataVersion = -1;
  /** The open transaction of the writes of this wave of microtasks, if any. */
  private wave: WriteWave | null = null;

  private constructor(private readonly db: Database) {
    db.exec('CREATE TABLE IF NOT EXISTS catalog (name TEXT PRIMARY KEY, id INTEGER NOT NULL UNIQUE, indexes TEXT NOT NULL)');
    // The highest table id ever given: ids are never reused, so a catalog another connection has changed since never maps a name to another collection's tables.
    db.exec('CREATE TABLE IF NOT EXISTS catalog_last_id (id INTEGER NOT NULL)');
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
  }

  /** Opens (creating) the store in a file, or in memory for ':memory:'. */
  static open(file: string): SqliteDocumentStore {
    const db = new DatabaseConstructor(file);
    db.pragma('journal_mode = WAL');
    // Deleted documents are zeroed in the file (crypto-shredding removes a contact's documents).
    db.pragma('secure_delete = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536');
    return new SqliteDocumentStore(db);
  }

  collection<T extends { _id: string }>(name: string): DocumentCollection<T> {
    return new SqliteDocumentCollection<T>(name, this);
  }

  async dropCollection(name: string): Promise<void> {
    await this.writeKeepingPrefix(() => this.drop(name));
  }

  async renameCollection(from: string, to: string, _options: { dropTarget: true }): Promise<void> {
    await this.writeKeepingPrefix(() => {
      const source = this.tablesOf(from);
      if (!source) throw new Error(`cannot rename '${from}': the collection does not exist`);
      this.drop(to);
      this.db.prepare('UPDATE catalog SET name = ? WHERE name = ?').run(to, from);
      this.catalog.delete(from);
      this.catalog.set(to, this.tablesFrom({ name: to, id: source.id, indexes: JSON.stringify(source.indexes) }));
    });
  }

  async listCollections(): Promise<string[]> {
    this.refresh();
    return [...this.catalog.keys()].sort();
  }

  /** Copies the WAL into the database and truncates it, so no WAL frame keeps an old page image. */
  async shredDeleted(): Promise<void> {
    if (this.wave) this.commitWave(this.wave);
    for (let attempt = 1; attempt <= 50; attempt++) {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
      if (!result?.busy) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('read-models.sqlite: the WAL could not be truncated (another process holds a read transaction)');
  }

  async close(): Promise<void> {
    if (this.wave) this.commitWave(this.wave);
    this.prepared.clear();
    this.db.close();
  }

  tablesOf(name: string): CollectionTables | undefined {
    // Within a write transaction no other connection can commit: the catalog read at its start holds.
    if (!this.wave) this.refresh();
    return this.catalog.get(name);
  }

  /**
   * Runs a read against the collection's tables as this connection last knew them, without asking
   * SQLite whether another connection has changed the catalog (that check cost as much as reading
   * a document by id). A name it does not know, or a table another connection has dropped (a
   * rebuild's swap), reloads the catalog and reads again. Otherwise a catalog that is behind is
   * still right for the live names: ids are never reused, a swap drops the tables of the name it
   * replaces, and an index not known yet only goes unused.
   */
  read<R>(name: string, read: (tables: CollectionTables | undefined) => R): R {
    const known = this.catalog.get(name);
    if (known) {
      try {
        return read(known);
      } catch (error) {
        if (!isSqliteMissingTable(error)) throw error;
        this.seenDataVersion = -1;
      }
    }
    return read(this.tablesOf(name));
  }

  tablesOrCreated(name: string): CollectionTables {
    const existing = this.tablesOf(name);
    if (existing) return existing;
    const last = this.db.prepare('SELECT max(id) AS id FROM (SELECT id FROM catalog UNION ALL SELECT id FROM catalog_last_id)').get() as { id: number | null };
    const id = (last.id ?? 0) + 1;
    this.db.prepare('DELETE FROM catalog_last_id').run();
    this.db.prepare('INSERT INTO catalog_last_id (id) VALUES (?)').run(id);
    const row: CatalogRow = { name, id, indexes: '[]' };
    this.db.prepare('INSERT INTO catalog (name, id, indexes) VALUES (?, ?, ?)').run(row.name, row.id, row.indexes);
    const tables = this.tablesFrom(row);
    tables.createTables();
    this.catalog.set(name, tables);
    return tables;
  }

  /**
   * Runs a write at once, in the transaction of the writes made in the same wave of microtasks,
   * which commits when the wave ends (`process.nextTick`, before any I/O or timer): the batches
   * and checkpoints that the projections write for one append share one commit instead of one
   * each, and no write waits for a turn of the event loop. This process reads each write as soon
   * as it is made, as before; the write's promise settles after the commit. A write that fails
   * keeps what it wrote before failing, as a MongoDB ordered bulk write does, and fails alone; a
   * commit that fails (the file is full) fails every write of the wave and rolls them all back.
   */
  writeKeepingPrefix<R>(write: () => R): Promise<R> {
    let wave: WriteWave;
    try {
      wave = this.wave ?? this.beginWave();
    } catch (error) {
      return Promise.reject(error);
    }
    let outcome: WriteOutcome;
    try {
      outcome = { value: write() };
    } catch (error) {
      outcome = { error };
      // Some errors (a full disk) make SQLite undo the whole transaction: the wave's earlier writes are gone too.
      if (!this.db.inTransaction) this.failWave(wave, error);
    }
    return new Promise<R>((resolve, reject) => {
      if (wave.failure) return reject(wave.failure.error);
      wave.writes.push({ outcome, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private beginWave(): WriteWave {
    this.statement('BEGIN IMMEDIATE').run();
    this.refresh();
    const wave: WriteWave = { writes: [], indexCounts: new Map([...this.catalog].map(([name, tables]) => [name, tables.indexes.length])) };
    this.wave = wave;
    process.nextTick(() => this.commitWave(wave));
    return wave;
  }

  private commitWave(wave: WriteWave): void {
    if (this.wave !== wave) return;
    try {
      this.saveIndexDefinitions(wave.indexCounts);
      this.statement('COMMIT').run();
    } catch (error) {
      this.failWave(wave, error);
      return;
    }
    this.wave = null;
    for (const { outcome, resolve, reject } of wave.writes) {
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.value);
    }
  }

  private failWave(wave: WriteWave, error: unknown): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.wave = null;
    wave.failure = { error };
    // The catalog this connection holds may name tables the undone writes created.
    this.catalog.clear();
    this.prepared.clear();
    this.seenDataVersion = -1;
    for (const { reject } of wave.writes) reject(error);
  }

  private statement = (sql: string): Statement => {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  };

  private tablesFrom(row: CatalogRow): CollectionTables {
    return new CollectionTables(this.db, this.statement, row.name, row.id, JSON.parse(row.indexes) as StoredIndex[]);
  }

  private drop(name: string): void {
    const tables = this.tablesOf(name);
    if (!tables) return;
    for (const table of tables.tableNames()) this.db.exec(`DROP TABLE IF EXISTS ${table}`);
    this.db.prepare('DELETE FROM catalog WHERE name = ?').run(name);
    this.catalog.delete(name);
    this.prepared.clear();
  }

  /** Records the indexes a write added (createIndex), in the same transaction. */
  private saveIndexDefinitions(indexCountsBefore: Map<string, number>): void {
    for (const [name, tables] of this.catalog) {
      if (indexCountsBefore.get(name) === tables.indexes.length) continue;
      this.db.prepare('UPDATE catalog SET indexes = ? WHERE name = ?').run(JSON.stringify(tables.indexes), name);
    }
  }

  /** Reloads the catalog when another connection has committed since the last look. */
  private refresh(): void {
    const version = this.dataVersion.get() as number;
    if (version === this.seenDataVersion) return;
    this.seenDataVersion = version;
    this.catalog.clear();
    this.prepared.clear();
    for (const row of this.db.prepare('SELECT name, id, indexes FROM catalog').all() as CatalogRow[]) {
      this.catalog.set(row.name, this.tablesFrom(row));
    }
  }
}
