import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
  type AllFilter,
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../event-store.port.js';
import { assertPosition } from '../event-store.errors.js';
import { AppendSignal } from './append-signal.js';
import { CommitWatch } from './commit-watch.js';
import { GroupCommit } from './group-commit.js';
import { SqliteAllSubscription, type LogPage } from './sqlite-all-subscription.js';
import { isSqliteBusy, isSqliteFull } from '../../sqlite/sqlite-errors.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    stream_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (stream_id, revision)
  );
  CREATE TABLE IF NOT EXISTS log_identity (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    log_id TEXT NOT NULL
  );
`;

const BUSY_TIMEOUT_MS = 5_000;

const COLUMNS = 'position, id, stream_id, revision, type, data, metadata, recorded_at';
const SUBSCRIPTION_PAGE_SIZE = 100;
/** SQLite's LIMIT for "no limit". */
const UNLIMITED = -1;

interface EventRow {
  position: number;
  id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

type StoredRevision = number | 'no_stream';

interface PendingAppend {
  streamId: string;
  rows: SerializedEvent[];
  expected: ExpectedRevision;
  recordedAt: string;
}

type AppendOutcome = { appended: AppendResult; written: boolean } | { error: unknown };

/** A new event with its data and metadata already serialized, ready for the INSERT. */
interface SerializedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

/**
 * The embedded EventStore: the whole log in one SQLite file. Positions are the rowids of an
 * AUTOINCREMENT table; SQLite has one writer at a time and a transaction's rows become
 * visible at its commit, so readers never see a later position before an earlier one.
 */
export class SqliteEventStore implements EventStore {
  private readonly signal = new AppendSignal();
  /** Wakes the subscriptions when another connection (a thread or process) appends; runs while there are subscriptions. */
  private readonly otherWriters: CommitWatch;
  private readonly subscriptions = new Set<SqliteAllSubscription>();
  private readonly filteredReads = new Map<string, Database.Statement<unknown[], EventRow>>();
  private readonly statements;
  private readonly appendOne;
  private readonly appendQueue;
  private readonly readPageInSnapshot;
  private readonly id: string;

  static open(filePath: string): SqliteEventStore {
    mkdirSync(dirname(filePath), { recursive: true });
    return new SqliteEventStore(new Database(filePath));
  }

  private constructor(private readonly db: Database.Database) {
    db.pragma('journal_mode = WAL');
    // FULL syncs the WAL at each commit: an acknowledged append survives a power loss. Group
    // commit (appendQueue) makes concurrent appends share that sync.
    db.pragma('synchronous = FULL');
    // Another process holding the write lock makes an append wait at most this long, then 503.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.id = createSchema(db);
    this.statements = {
      lastRevision: db
        .prepare<[string], { revision: number | null }>('SELECT MAX(revision) AS revision FROM events WHERE stream_id = ?'),
      byId: db.prepare<[string], Pick<EventRow, 'position' | 'stream_id' | 'revision'>>(
        'SELECT position, stream_id, revision FROM events WHERE id = ?',
      ),
      insert: db.prepare<[string, string, number, string, string, string, string]>(
        'INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      streamForwards: db.prepare<[string, number, number], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      ),
      streamBackwards: db.prepare<[string, number, number], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
      ),
      head: db.prepare<[], { head: number }>('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
    };
    this.otherWriters = new CommitWatch(db.prepare<[], number>('PRAGMA data_version').pluck(), () => this.signal.notify());
    this.appendOne = db.transaction(this.appendRows.bind(this));
    this.appendQueue = new GroupCommit<PendingAppend, AppendOutcome>(
      db.transaction((appends: PendingAppend[]) => appends.map((append) => this.appendOneSettled(append))),
    );
    // One read transaction, so that "the page is short" and "the head" come from the same snapshot.
    this.readPageInSnapshot = db.transaction(this.readPage.bind(this));
  }

  async appendToStream(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const recordedAt = new Date().toISOString();
    const rows: SerializedEvent[] = events.map((e) => ({
      id: e.id,
      type: e.type,
      data: JSON.stringify(e.data),
      metadata: JSON.stringify(e.metadata),
    }));
    const outcome = await this.appendQueue
      .submit({ streamId, rows, expected: options.expectedRevision ?? 'any', recordedAt })
      .catch((error: unknown): AppendOutcome => ({ error }));
    if ('error' in outcome) throw asUnavailable(outcome.error);
    if (outcome.written) this.signal.notify();
    return outcome.appended;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? UNLIMITED;
    const rows =
      options.direction === 'backwards'
        ? this.statements.streamBackwards.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
        : this.statements.streamForwards.all(streamId, options.fromRevision ?? 0, limit);
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.selectAll(assertPosition(options.after ?? 0), options.maxCount ?? UNLIMITED, options.filter).map(toRecordedEvent);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    assertPosition(options.after ?? 0);
    const subscription = new SqliteAllSubscription(
      (after) => this.readPageInSnapshot(after, options.filter),
      this.signal,
      options.after ?? 0,
      (stopped) => {
        this.subscriptions.delete(stopped);
        if (this.subscriptions.size === 0) this.otherWriters.stop();
      },
      options.onScanned,
    );
    this.subscriptions.add(subscription);
    this.otherWriters.start();
    return subscription;
  }

  async headPosition(): Promise<number> {
    return this.statements.head.get()?.head ?? 0;
  }

  async logId(): Promise<string> {
    return this.id;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.unsubscribe()));
    this.otherWriters.stop();
    if (this.db.open) this.db.close();
  }

  /** One append of a group, in a savepoint of the group's transaction: its failure undoes only itself. */
  private appendOneSettled({ streamId, rows, expected, recordedAt }: PendingAppend): AppendOutcome {
    try {
      return this.appendOne(streamId, rows, expected, recordedAt);
    } catch (error) {
      // SQLite undid the group's whole transaction (it may on SQLITE_FULL or an I/O error): the
      // group fails as one, rather than the next appends committing each on its own.
      if (!this.db.inTransaction) throw error;
      return { error };
    }
  }

  private appendRows(
    streamId: string,
    events: SerializedEvent[],
    expected: ExpectedRevision,
    recordedAt: string,
  ): { appended: AppendResult; written: boolean } {
    const lastRevision = this.statements.lastRevision.get(streamId)?.revision ?? null;
    const actual: StoredRevision = lastRevision === null ? 'no_stream' : lastRevision;

    const idempotent = this.alreadyAppended(streamId, events, expected, actual);
    if (idempotent) return { appended: idempotent, written: false };
    if (!matchesExpected(expected, actual)) throw new WrongExpectedRevisionError(streamId, expected, actual);

    let revision = actual === 'no_stream' ? -1 : actual;
    let position = 0;
    for (const event of events) {
      revision++;
      const info = this.statements.insert.run(
        event.id,
        streamId,
        revision,
        event.type,
        event.data,
        event.metadata,
        recordedAt,
      );
      position = Number(info.lastInsertRowid);
    }
    return { appended: { nextExpectedRevision: revision, position }, written: true };
  }

  /**
   * As EventStoreDB does: a batch whose ids the stream already holds, in order, right where
   * the expected revision puts them, is a retry — its original result, nothing written. A
   * batch that is only partly there is refused.
   */
  private alreadyAppended(
    streamId: string,
    events: Array<{ id: string }>,
    expected: ExpectedRevision,
    actual: StoredRevision,
  ): AppendResult | undefined {
    const found = events.map((e) => this.statements.byId.get(e.id));
    if (found.every((row) => row === undefined)) return undefined;

    const first = found[0];
    const expectedFirst = typeof expected === 'number' ? expected + 1 : expected === 'no_stream' ? 0 : first?.revision;
    const isRetry =
      first !== undefined &&
      first.revision === expectedFirst &&
      found.every((row, i) => row?.stream_id === streamId && row.revision === first.revision + i);
    if (!isRetry) throw new WrongExpectedRevisionError(streamId, expected, actual);

    const last = found[found.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  private readPage(after: number, filter: AllFilter | undefined): LogPage {
    const rows = this.selectAll(after, SUBSCRIPTION_PAGE_SIZE, filter);
    const scannedTo =
      rows.length === SUBSCRIPTION_PAGE_SIZE ? rows[rows.length - 1].position : Math.max(after, this.statements.head.get()?.head ?? 0);
    return { events: rows.map(toRecordedEvent), scannedTo };
  }

  private selectAll(after: number, limit: number, filter: AllFilter | undefined): EventRow[] {
    const prefixes = filter?.streamPrefixes ?? [];
    const types = filter?.eventTypes ?? [];
    const prefixParams = prefixes.flatMap((p) => [p.length, p]);
    return this.filteredRead(prefixes.length, types.length).all(after, ...prefixParams, ...types, limit);
  }

  /** The prepared statement for a filter of this shape, prepared once. */
  private filteredRead(prefixCount: number, typeCount: number): Database.Statement<unknown[], EventRow> {
    const key = `${prefixCount}:${typeCount}`;
    let statement = this.filteredReads.get(key);
    if (!statement) {
      const conditions = ['position > ?'];
      if (prefixCount > 0) {
        conditions.push(`(${Array(prefixCount).fill('substr(stream_id, 1, ?) = ?').join(' OR ')})`);
      }
      if (typeCount > 0) conditions.push(`type IN (${Array(typeCount).fill('?').join(', ')})`);
      statement = this.db.prepare<unknown[], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE ${conditions.join(' AND ')} ORDER BY position LIMIT ?`,
      );
      this.filteredReads.set(key, statement);
    }
    return statement;
  }
}

/** A locked file or a full disk as EventStoreUnavailableError (503 with Retry-After); anything else as is. */
function asUnavailable(error: unknown): unknown {
  if (isSqliteBusy(error)) return new EventStoreUnavailableError(`the event log file stayed locked for ${BUSY_TIMEOUT_MS} ms`, { cause: error });
  if (isSqliteFull(error)) return new EventStoreUnavailableError('the disk of the event log is full: nothing of this append was written', { cause: error });
  return error;
}

/**
 * Creates the tables and, with the file, its log id, in one write transaction: processes that
 * open a new file at the same moment agree on one id. A file from before log ids gets its id
 * at its first open.
 */
function createSchema(db: Database.Database): string {
  return db
    .transaction(() => {
      db.exec(SCHEMA);
      db.prepare('INSERT OR IGNORE INTO log_identity (singleton, log_id) VALUES (1, ?)').run(randomUUID());
      return db.prepare<[], { log_id: string }>('SELECT log_id FROM log_identity').get()!.log_id;
    })
    .immediate();
}

function matchesExpected(expected: ExpectedRevision, actual: StoredRevision): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 'no_stream';
    case 'stream_exists':
      return actual !== 'no_stream';
    default:
      return expected === actual;
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: row.recorded_at,
  };
}
