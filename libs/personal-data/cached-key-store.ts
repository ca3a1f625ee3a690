import type { KeyStore } from './key-store.port.js';

export interface KeyCacheOptions {
  /** How long a key read from the store is trusted: bounds how long another process may still open a destroyed key. */
  ttlMs?: number;
  maxEntries?: number;
}

/**
 * Keeps the keys it has read, so that sealing and opening events costs no store round trip on
 * the hot path. A destroy through this cache is seen at once here (and remembered for good);
 * one through another process is seen once the entry expires (`ttlMs`, 60 s by default).
 */
export class CachedKeyStore implements KeyStore {
  private readonly entries = new Map<string, { key: Buffer; expiresAt: number }>();
  private readonly destroyed = new Set<string>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly inner: KeyStore,
    options: KeyCacheOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 100_000;
  }

  async getOrCreate(keyId: string): Promise<Buffer> {
    const cached = this.cached(keyId);
    if (cached) return cached;
    const key = await this.inner.getOrCreate(keyId);
    this.remember(keyId, key);
    return key;
  }

  async getMany(keyIds: readonly string[]): Promise<Map<string, Buffer | null>> {
    const keys = new Map<string, Buffer | null>();
    const missing: string[] = [];
    for (const keyId of new Set(keyIds)) {
      const cached = this.destroyed.has(keyId) ? null : this.cached(keyId);
      if (cached !== undefined) keys.set(keyId, cached);
      else missing.push(keyId);
    }
    if (missing.length > 0) {
      for (const [keyId, key] of await this.inner.getMany(missing)) {
        keys.set(keyId, key);
        if (key) this.remember(keyId, key);
      }
    }
    return keys;
  }

  async destroy(keyId: string): Promise<void> {
    this.entries.delete(keyId);
    this.destroyed.add(keyId);
    await this.inner.destroy(keyId);
  }

  close(): Promise<void> {
    this.entries.clear();
    return this.inner.close();
  }

  private cached(keyId: string): Buffer | undefined {
    const entry = this.entries.get(keyId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(keyId);
      return undefined;
    }
    return entry.key;
  }

  private remember(keyId: string, key: Buffer): void {
    if (this.destroyed.has(keyId)) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(keyId, { key, expiresAt: this.now() + this.ttlMs });
  }
}
