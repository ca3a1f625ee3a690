import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyStoreContract } from '../key-store.contract.js';
import type { KeyStore } from '../key-store.port.js';
import { SqliteKeyStore } from './sqlite-key-store.js';

describe('SqliteKeyStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'key-store-'));
  const opened: KeyStore[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  keyStoreContract(async () => {
    const store = SqliteKeyStore.open(join(dir, 'keys.sqlite'));
    opened.push(store);
    return store;
  });

  it('leaves no byte of a destroyed key in any of its files (database, WAL)', async () => {
    const own = mkdtempSync(join(tmpdir(), 'key-store-shred-'));
    const store = SqliteKeyStore.open(join(own, 'keys.sqlite'));
    try {
      const keys = await Promise.all(['a', 'b', 'c'].map((id) => store.getOrCreate(id)));
      const filesHold = (key: Buffer) => readdirSync(own).some((name) => readFileSync(join(own, name)).includes(key));
      expect(keys.every(filesHold)).toBe(true);
      await store.destroy('b');
      expect(filesHold(keys[0]!)).toBe(true);
      expect(filesHold(keys[1]!)).toBe(false);
    } finally {
      await store.close();
      rmSync(own, { recursive: true, force: true });
    }
  });
});
