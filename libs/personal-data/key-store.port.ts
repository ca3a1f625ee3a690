/**
 * The KeyStore port: one AES-256 key per data subject (a contact), so that destroying the key
 * makes every personal value sealed with it unreadable — in the log, its copies and backups of
 * the log alike (crypto-shredding). Keys are not disposable like read models: losing one loses
 * the contact's data, so adapters write them durably before the first event sealed with them.
 */
export interface KeyStore {
  /** The key, created (durably) on first use. Throws `KeyDestroyedError` once the key was destroyed. */
  getOrCreate(keyId: string): Promise<Buffer>;
  /** The keys of these ids; null for a key destroyed or never created. */
  getMany(keyIds: readonly string[]): Promise<Map<string, Buffer | null>>;
  /** Destroys the key for good (idempotent, also for a key never created): it can never be read or created again. */
  destroy(keyId: string): Promise<void>;
  close(): Promise<void>;
}

export const KEY_LENGTH_BYTES = 32;

/** A write needs a key that was destroyed: the data subject was erased. */
export class KeyDestroyedError extends Error {
  constructor(readonly keyId: string) {
    super(`the key ${keyId} was destroyed: its data subject was erased`);
    this.name = 'KeyDestroyedError';
  }
}

export const KEY_STORE = Symbol('KeyStore');
