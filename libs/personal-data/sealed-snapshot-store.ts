import type { Snapshot, SnapshotStore } from '../eventsourcing/snapshots/snapshot-store.port.js';
import type { KeyStore } from './key-store.port.js';
import { open, seal } from './personal-data-cipher.js';

/**
 * Crypto-shredding for snapshots: a snapshot with a `personalDataKey` is stored with its state
 * sealed under that key (only the ciphertext: no shape), and opened on read. Once the key is
 * destroyed, its snapshots are neither written nor read — the state then folds from the log,
 * where the values are erased too.
 */
export class SealedSnapshotStore implements SnapshotStore {
  constructor(
    private readonly inner: SnapshotStore,
    private readonly keys: KeyStore,
  ) {}

  async save(snapshot: Snapshot): Promise<void> {
    const keyId = snapshot.personalDataKey;
    if (keyId === undefined) return this.inner.save(snapshot);
    const key = await this.keyOf(keyId);
    if (!key) return;
    const sealed = seal(snapshot.state, key, keyId) as { $sealed: string };
    await this.inner.save({ ...snapshot, state: sealed.$sealed });
  }

  async latestUntil(streamId: string, schema: string, until: string): Promise<Snapshot | undefined> {
    const snapshot = await this.inner.latestUntil(streamId, schema, until);
    const keyId = snapshot?.personalDataKey;
    if (!snapshot || keyId === undefined) return snapshot;
    if (typeof snapshot.state !== 'string') return undefined;
    const { value, erased } = open({ $sealed: snapshot.state, $shape: null }, await this.keyOf(keyId), keyId);
    return erased ? undefined : { ...snapshot, state: value };
  }

  /** The key, or null once destroyed; never created here (the contact's events made it). */
  private async keyOf(keyId: string): Promise<Buffer | null> {
    return (await this.keys.getMany([keyId])).get(keyId) ?? null;
  }
}
