import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { KEY_LENGTH_BYTES, KeyDestroyedError, type KeyStore } from '../key-store.port.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS personal_data_keys (
    key_id TEXT PRIMARY KEY,
    key BLOB,
    created_at TEXT NOT NULL,
    destroyed_at TEXT
  ) WITHOUT ROWID;
`;

/** How many times a destroy retries the WAL truncation while a reader holds old frames. */
const TRUNCATE_ATTEMPTS = 50;

/**
 * The embedded KeyStore: one SQLite file (`DATA_DIR/keys.sqlite`). `secure_delete` zeroes the
 * bytes of a destroyed key in the database pages, and a destroy ends with a TRUNCATE
 * checkpoint, so no WAL frame keeps an old copy of the key either. `synchronous = FULL`: a key
 * is on disk before the first event sealed with it is appended.
 */
export class SqliteKeyStore implements KeyStore {
  private readonly statements;

  static open(filePath: string): SqliteKeyStore {
    mkdirSync(dirname(filePath), { recursive: true });
    return new SqliteKeyStore(new Database(filePath));
  }

  private constructor(private readonly db: Database.Database) {
    db.pragma('secure_delete = ON');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    this.statements = {
      get: db.prepare<[string], { key: Buffer | null }>('SELECT key FROM personal_data_keys WHERE key_id = ?'),
      insert: db.prepare<[string, Buffer, string]>('INSERT OR IGNORE INTO personal_data_keys (key_id, key, created_at) VALUES (?, ?, ?)'),
      destroy: db.prepare<[string, string, string]>(
        `INSERT INTO personal_data_keys (key_id, key, created_at, destroyed_at) VALUES (?, NULL, ?, ?)
         ON CONFLICT (key_id) DO UPDATE SET key = NULL, destroyed_at = COALESCE(destroyed_at, excluded.destroyed_at)`,
      ),
    };
  }

  async getOrCreate(keyId: string): Promise<Buffer> {
    // Most calls find the key: reading first spares them a write transaction (and its sync).
    const row = this.statements.get.get(keyId) ?? this.created(keyId);
    if (!row?.key) throw new KeyDestroyedError(keyId);
    return row.key;
  }

  private created(keyId: string): { key: Buffer | null } | undefined {
    this.statements.insert.run(keyId, randomBytes(KEY_LENGTH_BYTES), new Date().toISOString());
    return this.statements.get.get(keyId);
  }

  async getMany(keyIds: readonly string[]): Promise<Map<string, Buffer | null>> {
    return new Map(keyIds.map((keyId) => [keyId, this.statements.get.get(keyId)?.key ?? null]));
  }

  async destroy(keyId: string): Promise<void> {
    const now = new Date().toISOString();
    this.statements.destroy.run(keyId, now, now);
    for (let attempt = 1; ; attempt++) {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
      if (!result?.busy) return;
      if (attempt >= TRUNCATE_ATTEMPTS) throw new Error(`keys.sqlite: the WAL could not be truncated after destroying ${keyId}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
