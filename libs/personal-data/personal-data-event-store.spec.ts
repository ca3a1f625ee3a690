import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import type { NewEvent } from '../event-store/event-store.port.js';
import { CachedKeyStore } from './cached-key-store.js';
import { KeyDestroyedError } from './key-store.port.js';
import { PersonalDataEventStore } from './personal-data-event-store.js';
import { SqliteKeyStore } from './sqlite/sqlite-key-store.js';

const event = (personal: unknown, keyId: string | null = 'contact-1', data: Record<string, unknown> = {}): NewEvent => ({
  id: randomUUID(),
  type: 'Something',
  data: { ...data, ...(personal === undefined ? {} : { personal }) },
  metadata: { workspace: 'acme', ...(keyId ? { personalDataKey: keyId } : {}) },
});

describe('PersonalDataEventStore (SQLite log, SQLite keys)', () => {
  let dir: string;
  let log: SqliteEventStore;
  let keys: SqliteKeyStore;
  let store: PersonalDataEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'personal-data-'));
    log = SqliteEventStore.open(join(dir, 'events.sqlite'));
    keys = SqliteKeyStore.open(join(dir, 'keys.sqlite'));
    store = new PersonalDataEventStore(log, new CachedKeyStore(keys));
  });
  afterEach(async () => {
    await store.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const personal = { values: { name: 'Ann Lee', phone: '+15551234567', email: null }, visits: 3, colours: ['red'], home: { lat: 48.85, lng: 2.29 } };
  const filesHold = (text: string) => readdirSync(dir).some((name) => readFileSync(join(dir, name)).includes(Buffer.from(text)));

  it('seals every personal value in the log and opens it on every read path', async () => {
    await store.appendToStream('contact-1', [event(personal, 'contact-1', { field: 'name' })]);
    const [raw] = await log.readAll();
    expect(JSON.stringify(raw!.data)).not.toContain('Ann Lee');
    expect(raw!.data).toEqual({ field: 'name', personal: { $sealed: expect.any(String), $shape: { values: { name: null, phone: null, email: null }, visits: null, colours: null, home: { lat: null, lng: null } } } });
    expect(filesHold('Ann Lee')).toBe(false);
    expect(filesHold('5551234567')).toBe(false);

    expect((await store.readStream('contact-1'))[0]!.data).toEqual({ field: 'name', personal });
    expect((await store.readAll())[0]!.data).toEqual({ field: 'name', personal });
    const subscription = store.subscribeToAll();
    for await (const received of subscription) {
      expect(received.data).toEqual({ field: 'name', personal });
      break;
    }
    await subscription.unsubscribe();
  });

  it('leaves events without personal data or without a key as they are', async () => {
    await store.appendToStream('workspace-acme', [event(undefined, null, { name: 'VIP' }), event({ note: 'plain' }, null)]);
    const raw = await log.readAll();
    expect(raw.map((e) => e.data)).toEqual([{ name: 'VIP' }, { personal: { note: 'plain' } }]);
    expect((await store.readAll()).map((e) => e.data)).toEqual(raw.map((e) => e.data));
  });

  it('after the key is destroyed: the same shape with null values, marked erased; a new append for the subject is refused', async () => {
    await store.appendToStream('contact-1', [event(personal)]);
    await store.appendToStream('contact-2', [event({ values: { name: 'Bob' } }, 'contact-2')]);
    await keys.destroy('contact-1');
    const reader = new PersonalDataEventStore(log, keys);
    const [erased, kept] = await reader.readAll();
    expect(erased!.data.personal).toEqual({ values: { name: null, phone: null, email: null }, visits: null, colours: null, home: { lat: null, lng: null } });
    expect(erased!.metadata).toMatchObject({ personalDataErased: true });
    expect(kept!.data.personal).toEqual({ values: { name: 'Bob' } });
    expect(kept!.metadata).not.toHaveProperty('personalDataErased');
    await expect(reader.appendToStream('contact-1', [event(personal)])).rejects.toBeInstanceOf(KeyDestroyedError);
  });

  it('refuses a value sealed under another subject key (the key id is authenticated)', async () => {
    await store.appendToStream('contact-1', [event({ name: 'Ann' })]);
    const [raw] = await log.readAll();
    await log.appendToStream('contact-2', [{ id: randomUUID(), type: 'Copied', data: raw!.data, metadata: { personalDataKey: 'contact-2' } }]);
    await keys.getOrCreate('contact-2');
    await expect(store.readStream('contact-2')).rejects.toThrow();
  });
});
