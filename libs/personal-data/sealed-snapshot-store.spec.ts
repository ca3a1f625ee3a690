import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDocumentStore } from '../document-store/sqlite/sqlite-document-store.js';
import { DocumentSnapshotStore, SNAPSHOTS_COLLECTION } from '../eventsourcing/snapshots/document-snapshot-store.js';
import type { Snapshot } from '../eventsourcing/snapshots/snapshot-store.port.js';
import { SealedSnapshotStore } from './sealed-snapshot-store.js';
import { SqliteKeyStore } from './sqlite/sqlite-key-store.js';

const UNTIL = '2030-01-01T00:00:00.000Z';
const snapshotOf = (streamId: string, personalDataKey?: string): Snapshot => ({
  streamId,
  schema: 'contact-state.v1',
  version: 100,
  position: 1_000,
  occurredUntil: '2026-11-23T10:00:00.000Z',
  state: { email: 'ann@example.com', tags: ['vip'] },
  ...(personalDataKey ? { personalDataKey } : {}),
});

describe('SealedSnapshotStore on SQLite (documents and keys)', () => {
  let dir: string;
  let documents: SqliteDocumentStore;
  let keys: SqliteKeyStore;
  let snapshots: SealedSnapshotStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sealed-snapshots-'));
    documents = SqliteDocumentStore.open(join(dir, 'read-models.sqlite'));
    keys = SqliteKeyStore.open(join(dir, 'keys.sqlite'));
    snapshots = new SealedSnapshotStore(new DocumentSnapshotStore(documents), keys);
  });
  afterEach(async () => {
    await documents.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = () => documents.collection(SNAPSHOTS_COLLECTION).find({});

  it("stores a contact's state sealed under its key, and opens it on read", async () => {
    await keys.getOrCreate('contact-1');
    await snapshots.save(snapshotOf('contact-1', 'contact-1'));
    const documentsText = JSON.stringify(await stored());
    expect(documentsText).not.toContain('ann@example.com');
    expect(documentsText).not.toContain('vip');
    expect(await snapshots.latestUntil('contact-1', 'contact-state.v1', UNTIL)).toEqual(snapshotOf('contact-1', 'contact-1'));
  });

  it('neither writes nor reads a snapshot once its key is destroyed', async () => {
    await keys.getOrCreate('contact-1');
    await snapshots.save(snapshotOf('contact-1', 'contact-1'));
    await keys.destroy('contact-1');
    expect(await snapshots.latestUntil('contact-1', 'contact-state.v1', UNTIL)).toBeUndefined();
    await documents.dropCollection(SNAPSHOTS_COLLECTION);
    await snapshots.save(snapshotOf('contact-1', 'contact-1'));
    expect(await stored()).toEqual([]);
  });

  it('stores a state without a key as it is', async () => {
    await snapshots.save(snapshotOf('workspace-acme'));
    expect(await snapshots.latestUntil('workspace-acme', 'contact-state.v1', UNTIL)).toEqual(snapshotOf('workspace-acme'));
  });
});
