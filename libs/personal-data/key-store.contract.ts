import { expect, it } from '@jest/globals';
import { KEY_LENGTH_BYTES, KeyDestroyedError, type KeyStore } from './key-store.port.js';

/** The behaviour every KeyStore adapter shares; each `open` gives a store over the suite's one storage. */
export function keyStoreContract(open: () => Promise<KeyStore>): void {
  const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`;

  it('creates a 256-bit key on first use and answers the same key after', async () => {
    const store = await open();
    const id = unique('contact');
    const key = await store.getOrCreate(id);
    expect(key).toHaveLength(KEY_LENGTH_BYTES);
    expect((await store.getOrCreate(id)).equals(key)).toBe(true);
    expect((await store.getMany([id])).get(id)?.equals(key)).toBe(true);
  });

  it('gives different subjects different keys, and concurrent first uses one key', async () => {
    const store = await open();
    const [a, b] = [unique('a'), unique('b')];
    expect((await store.getOrCreate(a)).equals(await store.getOrCreate(b))).toBe(false);
    const c = unique('c');
    const keys = await Promise.all(Array.from({ length: 8 }, () => store.getOrCreate(c)));
    expect(new Set(keys.map((key) => key.toString('hex'))).size).toBe(1);
  });

  it('answers null for a key never created, without creating it', async () => {
    const store = await open();
    const id = unique('never');
    expect((await store.getMany([id])).get(id)).toBeNull();
    expect((await store.getMany([id])).get(id)).toBeNull();
  });

  it('destroys a key for good: it reads as null and cannot be created again', async () => {
    const store = await open();
    const [kept, gone] = [unique('kept'), unique('gone')];
    const keptKey = await store.getOrCreate(kept);
    await store.getOrCreate(gone);
    await store.destroy(gone);
    await store.destroy(gone);
    const keys = await store.getMany([kept, gone]);
    expect(keys.get(gone)).toBeNull();
    expect(keys.get(kept)?.equals(keptKey)).toBe(true);
    await expect(store.getOrCreate(gone)).rejects.toBeInstanceOf(KeyDestroyedError);
  });

  it('destroys a key that was never created, so that it never will be', async () => {
    const store = await open();
    const id = unique('pre-destroyed');
    await store.destroy(id);
    await expect(store.getOrCreate(id)).rejects.toBeInstanceOf(KeyDestroyedError);
  });

  it('keeps keys across a reopen', async () => {
    const store = await open();
    const id = unique('durable');
    const key = await store.getOrCreate(id);
    const reopened = await open();
    expect((await reopened.getMany([id])).get(id)?.equals(key)).toBe(true);
  });
}
