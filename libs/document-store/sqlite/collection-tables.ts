import type { Database, Statement } from 'better-sqlite3';
import { DuplicateKeyError } from '../document-store.port.js';
import { isSqlitePrimaryKeyViolation } from '../../sqlite/sqlite-errors.js';
import type { JsonDocument } from './document-values.js';
import { entryKey, indexEntries, type IndexDefinition, type SqlValue } from './index-entries.js';
import type { IndexScan } from './query-plan.js';

export type StoredDocument = JsonDocument & { _id: string };

export type StoredIndex = IndexDefinition & { table: string };

/** A stored document: parsed, and its JSON as stored (to tell a no-op write). */
export interface Row {
  document: StoredDocument;
  json: string;
}

/**
 * The SQLite tables of one collection: `d<id>` holds each document as JSON under its `_id`
 * (rowid order is insertion order), and each declared index has a table `x<id>_<n>` of its
 * key values and the document's `_id`, with a SQLite index over them, in which every write
 * keeps the index rows of the document in step. Unique indexes are checked before any write.
 */
export class CollectionTables {
  readonly documentsTable: string;
  private readonly idIndexed = new Set<string>();
  private readonly entrySqlByTable = new Map<string, { insert: string; delete: string }>();

  constructor(
    private readonly db: Database,
    private readonly statements: (sql: string) => Statement,
    readonly name: string,
    readonly id: number,
    readonly indexes: StoredIndex[],
  ) {
    this.documentsTable = `d${id}`;
  }

  createTables(): void {
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${this.documentsTable} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
  }

  /**
   * Creates the index table and fills it from the documents, then the SQLite index over it: sorting
   * the rows once costs a fraction of keeping the index in step row by row (why a rebuild builds
   * its indexes after the replay). Throws DuplicateKeyError, creating nothing, for a unique index
   * the data breaks.
   */
  addIndex(definition: IndexDefinition): StoredIndex {
    const index: StoredIndex = { ...definition, table: `x${this.id}_${this.indexes.length}` };
    const columns = index.keys.map((_, i) => `k${i}`);
    this.db.exec(`CREATE TABLE ${index.table} (${columns.join(', ')}, id TEXT NOT NULL)`);
    for (const page of this.pagesOfAll()) {
      for (const { document } of page) for (const entry of indexEntries(index, document)) this.insertEntry(index, entry, document._id);
    }
    if (index.unique && this.statements(`SELECT 1 FROM ${index.table} GROUP BY ${columns.join(', ')} HAVING count(DISTINCT id) > 1 LIMIT 1`).get()) {
      this.db.exec(`DROP TABLE ${index.table}`);
      throw new DuplicateKeyError(this.name, index.name);
    }
    const keyColumns = index.keys.map(([, direction], i) => `k${i}${direction === -1 ? ' DESC' : ''}`);
    this.db.exec(`CREATE INDEX ${index.table}_keys ON ${index.table} (${[...keyColumns, 'id'].join(', ')})`);
    this.indexes.push(index);
    return index;
  }

  /**
   * An index table that gives a sort order is also indexed by document id, covering its keys,
   * to join a range's ids with their sort keys (sortedRange). Made on first use, so the indexes
   * never used for that cost no write.
   */
  private ensureIdIndex({ table, keys }: StoredIndex): void {
    if (this.idIndexed.has(table)) return;
    this.db.exec(`CREATE INDEX IF NOT EXISTS ${table}_by_id ON ${table} (id, ${keys.map((_, i) => `k${i}`).join(', ')})`);
    this.idIndexed.add(table);
  }

  tableNames(): string[] {
    return [this.documentsTable, ...this.indexes.map((index) => index.table)];
  }

  private get(id: string): Row | undefined {
    const row = this.statements(`SELECT doc FROM ${this.documentsTable} WHERE id = ?`).get(id) as { doc: string } | undefined;
    return row && { document: JSON.parse(row.doc) as StoredDocument, json: row.doc };
  }

  /**
   * The documents of these ids, in their order, in one statement: outside a transaction each
   * statement is a read transaction of its own, which costs more than the lookup (20 ids: 136 µs
   * one by one, 38 µs in one statement).
   */
  getMany(ids: readonly string[]): Row[] {
    if (ids.length === 1) {
      const row = this.get(ids[0]!);
      return row ? [row] : [];
    }
    const sql = `SELECT id, doc FROM ${this.documentsTable} WHERE id IN (SELECT value FROM json_each(?))`;
    const stored = new Map((this.statements(sql).all(JSON.stringify(ids)) as Array<{ id: string; doc: string }>).map(({ id, doc }) => [id, doc]));
    return ids.flatMap((id) => {
      const json = stored.get(id);
      return json === undefined ? [] : [{ document: JSON.parse(json) as StoredDocument, json }];
    });
  }

  /** Every document in pages, in insertion order: no statement stays open between pages, so the caller may write in between. */
  private *pagesOfAll(size = 1_000): Generator<Row[]> {
    for (let after = 0; ; ) {
      const page = this.statements(`SELECT rowid AS r, doc FROM ${this.documentsTable} WHERE rowid > ? ORDER BY rowid LIMIT ?`).all(after, size) as Array<{ r: number; doc: string }>;
      if (page.length === 0) return;
      yield page.map((row) => ({ document: JSON.parse(row.doc) as StoredDocument, json: row.doc }));
      after = page.at(-1)!.r;
    }
  }

  *all(): Generator<Row> {
    for (const row of this.statements(`SELECT doc FROM ${this.documentsTable} ORDER BY rowid`).iterate() as Iterable<{ doc: string }>) {
      yield { document: JSON.parse(row.doc) as StoredDocument, json: row.doc };
    }
  }

  count(): number {
    return (this.statements(`SELECT count(*) AS n FROM ${this.documentsTable}`).get() as { n: number }).n;
  }

  /** Stores a new document; `json` is its JSON when the caller has it already. */
  insert(document: StoredDocument, json = JSON.stringify(document)): void {
    const entries = this.indexes.map((index) => indexEntries(index, document));
    this.assertUnique(document._id, entries);
    try {
      this.statements(`INSERT INTO ${this.documentsTable} (id, doc) VALUES (?, ?)`).run(document._id, json);
    } catch (error) {
      if (isSqlitePrimaryKeyViolation(error)) throw new DuplicateKeyError(this.name, '_id_');
      throw error;
    }
    this.indexes.forEach((index, i) => entries[i]!.forEach((entry) => this.insertEntry(index, entry, document._id)));
  }

  /** Stores `next` over `previous` (same `_id`); false when nothing changed. */
  replace(previous: Row, next: StoredDocument, json = JSON.stringify(next)): boolean {
    if (json === previous.json) return false;
    const changes = this.indexes.map((index) => entryChanges(indexEntries(index, previous.document), indexEntries(index, next)));
    this.assertUnique(
      next._id,
      changes.map((change) => change.added),
    );
    this.statements(`UPDATE ${this.documentsTable} SET doc = ? WHERE id = ?`).run(json, next._id);
    this.indexes.forEach((index, i) => {
      for (const entry of changes[i]!.removed) this.deleteEntry(index, entry, next._id);
      for (const entry of changes[i]!.added) this.insertEntry(index, entry, next._id);
    });
    return true;
  }

  delete(row: Row): void {
    this.statements(`DELETE FROM ${this.documentsTable} WHERE id = ?`).run(row.document._id);
    for (const index of this.indexes) for (const entry of indexEntries(index, row.document)) this.deleteEntry(index, entry, row.document._id);
  }

  /** Index rows in the scan's range, up to `cap`. */
  rowsIn(scan: IndexScan, cap: number): number {
    const { where, parameters } = whereOf(scan);
    const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM ${(scan.index as StoredIndex).table} WHERE ${where} LIMIT ${cap})`;
    return (this.statements(sql).get(...parameters) as { n: number }).n;
  }

  /** The documents in the scan's range, each once; in index order when `order` is given. */
  *scan(scan: IndexScan, order?: 'ascending' | 'descending'): Generator<Row> {
    const index = scan.index as StoredIndex;
    const { where, parameters } = whereOf(scan, 'x.');
    const descending = order === 'descending';
    const orderBy = order ? ` ORDER BY ${[...orderTerms(index, scan.equalities.length, descending, (i) => `x.k${i}`), `x.id${direction(descending)}`].join(', ')}` : '';
    const sql = `SELECT d.doc AS doc FROM ${index.table} x JOIN ${this.documentsTable} d ON d.id = x.id WHERE ${where}${orderBy}`;
    const seen = new Set<string>();
    for (const row of this.statements(sql).iterate(...parameters) as Iterable<{ doc: string }>) {
      const document = JSON.parse(row.doc) as StoredDocument;
      if (seen.has(document._id)) continue;
      seen.add(document._id);
      yield { document, json: row.doc };
    }
  }

  /**
   * The documents whose ids are in every scan, in the order of the index of `order` (keys after its
   * equalities, then id), page after page: SQLite sorts the ids by the keys alone and only a
   * page of documents is read. The id set drives the join (CROSS JOIN fixes the loop order).
   */
  *sortedRange(scans: IndexScan[], order: IndexScan, descending: boolean, firstPage: number): Generator<Row> {
    const sources = scans.map((scan) => ({ table: (scan.index as StoredIndex).table, ...whereOf(scan) }));
    // `+` keeps SQLite from looking `s` up by its keys: it must by id, the range driving the loop.
    const sorted = whereOf(order, '+s.');
    const orderIndex = order.index as StoredIndex;
    this.ensureIdIndex(orderIndex);
    const first = order.equalities.length;
    const keys = orderIndex.keys.slice(first).map((_, i) => `s.k${first + i}`);
    const ids = sources.map(({ table, where }) => `SELECT id FROM ${table} WHERE ${where}`).join(' INTERSECT ');
    // The ids are sorted on the keys alone (a covering index by id), then a page of documents is read.
    const page =
      `SELECT s.id AS id, ${keys.map((key, i) => `${key} AS o${i}`).join(', ')} ` +
      `FROM (${scans.length === 1 ? ids.replace('SELECT id', 'SELECT DISTINCT id') : ids}) m CROSS JOIN ${orderIndex.table} s ON s.id = m.id ` +
      `WHERE ${sorted.where} ORDER BY ${[...orderTerms(orderIndex, first, descending, (i) => `s.k${i}`), `s.id${direction(descending)}`].join(', ')} LIMIT ? OFFSET ?`;
    yield* this.pages(this.documentsOf(page, orderIndex, first, descending), [...sources.flatMap((source) => source.parameters), ...sorted.parameters], firstPage);
  }

  /**
   * The documents whose ids are in every scan, in the order of the first scan's index keys from
   * `sortFrom` on (then id), page after page: the first scan's rows carry the sort keys, so SQLite
   * sorts its distinct (keys, id) pairs within the range and only a page of documents is read.
   */
  *coveredRange(scans: IndexScan[], sortFrom: number, descending: boolean, firstPage: number): Generator<Row> {
    const [cover, ...others] = scans as [IndexScan, ...IndexScan[]];
    const index = cover.index as StoredIndex;
    const range = whereOf(cover, 's.');
    const within = others.map((scan) => ({ ...whereOf(scan), table: (scan.index as StoredIndex).table }));
    const keys = index.keys.slice(sortFrom).map((_, i) => `s.k${sortFrom + i} AS o${i}`);
    const page =
      `SELECT DISTINCT ${keys.join(', ')}, s.id AS id FROM ${index.table} s ` +
      `WHERE ${[range.where, ...within.map(({ table, where }) => `s.id IN (SELECT id FROM ${table} WHERE ${where})`)].join(' AND ')} ` +
      `ORDER BY ${[...orderTerms(index, sortFrom, descending, (i) => `o${i - sortFrom}`), `id${direction(descending)}`].join(', ')} LIMIT ? OFFSET ?`;
    yield* this.pages(this.documentsOf(page, index, sortFrom, descending), [...range.parameters, ...within.flatMap(({ parameters }) => parameters)], firstPage);
  }

  /** The documents of a page of ids (`id`, and its sort keys as `o0`, `o1`… from the index's key `from` on), in that order. */
  private documentsOf(page: string, index: StoredIndex, from: number, descending: boolean): string {
    const ordered = [...orderTerms(index, from, descending, (i) => `top.o${i - from}`), `top.id${direction(descending)}`];
    return `SELECT d.doc AS doc FROM (${page}) top CROSS JOIN ${this.documentsTable} d ON d.id = top.id ORDER BY ${ordered.join(', ')}`;
  }

  /** Runs a paged query (its last two parameters LIMIT and OFFSET), doubling the page, each document once. */
  private *pages(sql: string, parameters: SqlValue[], firstPage: number): Generator<Row> {
    const seen = new Set<string>();
    for (let offset = 0, size = Math.max(firstPage, 32); ; offset += size, size *= 2) {
      const page = this.statements(sql).all(...parameters, size, offset) as Array<{ doc: string }>;
      for (const row of page) {
        const document = JSON.parse(row.doc) as StoredDocument;
        if (seen.has(document._id)) continue;
        seen.add(document._id);
        yield { document, json: row.doc };
      }
      if (page.length < size) return;
    }
  }

  private assertUnique(id: string, entriesPerIndex: SqlValue[][][]): void {
    this.indexes.forEach((index, i) => {
      if (index.unique) this.assertUniqueIn(index, id, entriesPerIndex[i]!);
    });
  }

  private assertUniqueIn(index: StoredIndex, id: string, entries: SqlValue[][]): void {
    const sql = `SELECT 1 FROM ${index.table} WHERE ${index.keys.map((_, i) => `k${i} IS ?`).join(' AND ')} AND id != ? LIMIT 1`;
    for (const entry of entries) {
      if (this.statements(sql).get(...entry, id) !== undefined) throw new DuplicateKeyError(this.name, index.name);
    }
  }

  private insertEntry(index: StoredIndex, entry: SqlValue[], id: string): void {
    this.statements(this.entrySql(index).insert).run(...entry, id);
  }

  private deleteEntry(index: StoredIndex, entry: SqlValue[], id: string): void {
    this.statements(this.entrySql(index).delete).run(...entry, id);
  }

  /** The statements that write an index's rows, spelled once per index (a write may make dozens of rows). */
  private entrySql({ table, keys }: StoredIndex): { insert: string; delete: string } {
    let sql = this.entrySqlByTable.get(table);
    if (!sql) {
      sql = {
        insert: `INSERT INTO ${table} VALUES (${keys.map(() => '?').join(', ')}, ?)`,
        delete: `DELETE FROM ${table} WHERE ${keys.map((_, i) => `k${i} IS ?`).join(' AND ')} AND id = ?`,
      };
      this.entrySqlByTable.set(table, sql);
    }
    return sql;
  }
}

function entryChanges(before: SqlValue[][], after: SqlValue[][]): { added: SqlValue[][]; removed: SqlValue[][] } {
  const beforeKeys = new Set(before.map(entryKey));
  const afterKeys = new Set(after.map(entryKey));
  return {
    added: after.filter((entry) => !beforeKeys.has(entryKey(entry))),
    removed: before.filter((entry) => !afterKeys.has(entryKey(entry))),
  };
}

function whereOf(scan: IndexScan, table = ''): { where: string; parameters: SqlValue[] } {
  const clauses = scan.equalities.map((_, i) => `${table}k${i} = ?`);
  const parameters: SqlValue[] = [...scan.equalities];
  const column = `${table}k${scan.equalities.length}`;
  if (scan.range?.lower) {
    clauses.push(`${column} ${scan.range.lower.inclusive ? '>=' : '>'} ?`);
    parameters.push(scan.range.lower.value);
  }
  if (scan.range?.upper) {
    clauses.push(`${column} ${scan.range.upper.inclusive ? '<=' : '<'} ?`);
    parameters.push(scan.range.upper.value);
  }
  return { where: clauses.length > 0 ? clauses.join(' AND ') : '1', parameters };
}

/** ORDER BY terms for the index's keys from `from` on: each in its declared direction, all reversed for a descending walk. */
function orderTerms(index: StoredIndex, from: number, descending: boolean, column: (key: number) => string): string[] {
  return index.keys.slice(from).map(([, keyDirection], i) => `${column(from + i)}${direction((keyDirection === -1) !== descending)}`);
}

function direction(descending: boolean): string {
  return descending ? ' DESC' : '';
}
