import type { DocumentCollection, DocumentStore } from '../../document-store/document-store.port.js';
import type { Snapshot, SnapshotStore } from './snapshot-store.port.js';

export const SNAPSHOTS_COLLECTION = 'aggregate_snapshots';

type SnapshotDocument = Snapshot & { _id: string };

/** Snapshots as documents of one collection, next to the read models (embedded SQLite or MongoDB). */
export class DocumentSnapshotStore implements SnapshotStore {
  private readonly snapshots: DocumentCollection<SnapshotDocument>;
  private indexed: Promise<void> | undefined;

  constructor(documents: DocumentStore) {
    this.snapshots = documents.collection<SnapshotDocument>(SNAPSHOTS_COLLECTION);
  }

  async save(snapshot: Snapshot): Promise<void> {
    await this.index();
    const _id = `${snapshot.schema}:${snapshot.streamId}:${snapshot.version}`;
    await this.snapshots.replaceOne({ _id }, { _id, ...snapshot }, { upsert: true });
  }

  async latestUntil(streamId: string, schema: string, until: string): Promise<Snapshot | undefined> {
    await this.index();
    const [found] = await this.snapshots.find({ streamId, schema, occurredUntil: { $lte: until } }, { sort: { version: -1 }, limit: 1 });
    if (!found) return undefined;
    const { _id, ...snapshot } = found;
    return snapshot;
  }

  private index(): Promise<void> {
    this.indexed ??= this.snapshots.createIndex({ streamId: 1, schema: 1, version: -1 }).catch((error: unknown) => {
      this.indexed = undefined;
      throw error;
    });
    return this.indexed;
  }
}
