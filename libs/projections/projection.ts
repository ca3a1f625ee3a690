import type { RecordedEvent } from '../event-store/event-store.port.js';
import type { DocumentCollection, DocumentStore } from '../document-store/document-store.port.js';
import type { OwnedCollections } from './owned-collections.js';

/**
 * Where a projection writes: its logical collection names resolved to physical collections,
 * so that a rebuild can write the same projection into fresh collections beside the live ones.
 */
export interface ProjectionCollections {
  collection<T extends { _id: string }>(logicalName: string): DocumentCollection<T>;
  /** After erasing personal data: leaves no copy of the old bytes in the store's files (see `DocumentStore.shredDeleted`). */
  shredDeleted(): Promise<void>;
  /** Present when the caller made these collections empty and alone writes them (owned-collections.ts). */
  readonly owned?: OwnedCollections;
}

/**
 * A read model fed from the log. `applyBatch` gets events in position order, possibly ones
 * it has already applied (delivery is at least once): every write it makes must be a no-op
 * the second time, by a position guard or a deterministic `_id`.
 */
export interface Projection {
  readonly name: string;
  /**
   * The event types it applies: the runtime reads only these from the log (the store filters),
   * and moves the checkpoint over the others all the same. Every event when absent.
   */
  readonly eventTypes?: readonly string[];
  /** Every collection the projection writes; a rebuild recreates and swaps exactly these. */
  readonly collections: readonly string[];
  /** Creates the indexes; idempotent. */
  setup(db: ProjectionCollections): Promise<void>;
  /**
   * True when `applyBatch` finds its documents by `_id` alone (a sweep for a rare event aside):
   * a rebuild then replays into collections without indexes and makes them from the data after,
   * several times cheaper than keeping them in step document by document.
   */
  readonly findsByIdOnly?: boolean;
  applyBatch(events: readonly RecordedEvent[], db: ProjectionCollections): Promise<void>;
}

/**
 * The projection's collections: the live ones, or under other physical names (a rebuild's fresh
 * collections), `owned` when only the caller writes them (owned-collections.ts).
 */
export function projectionCollections(
  store: DocumentStore,
  projection: Projection,
  { physicalName = (name) => name, owned }: { physicalName?: (logicalName: string) => string; owned?: OwnedCollections } = {},
): ProjectionCollections {
  return {
    ...(owned ? { owned } : {}),
    collection<T extends { _id: string }>(logicalName: string): DocumentCollection<T> {
      if (!projection.collections.includes(logicalName)) {
        throw new Error(`projection ${projection.name} does not declare the collection ${logicalName}`);
      }
      return store.collection<T>(physicalName(logicalName));
    },
    shredDeleted: async () => {
      // What is held back may hold the personal data being erased from the store's files.
      await owned?.flush();
      await store.shredDeleted?.();
    },
  };
}
