import assert from 'node:assert/strict';
import type { JsonObject, RecordedEvent } from '../../event-store/event-store.port.js';
import type { DomainEvent } from '../../eventsourcing/domain-event.js';
import type { EventMetadata } from '../../eventsourcing/event-metadata.js';
import { SPEC_METADATA } from '../../eventsourcing/testing/decider-spec.js';
import { SqliteDocumentStore } from '../../document-store/sqlite/sqlite-document-store.js';
import { snapshotOf } from '../../document-store/testing/document-store-targets.js';
import { projectionCollections, type Projection } from '../projection.js';

/** An event of a given log: its stream, and who wrote it when (SPEC_METADATA when it does not matter). */
export type GivenEvent = { streamId: string; event: DomainEvent; metadata?: Partial<EventMetadata> };

/** The events as the log records them: positions from 1, revisions per stream from 0. */
export function recordedLog(given: readonly GivenEvent[]): RecordedEvent[] {
  const revisions = new Map<string, number>();
  return given.map(({ streamId, event, metadata }, index) => {
    const revision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, revision + 1);
    const recordedMetadata: EventMetadata = { ...SPEC_METADATA, ...metadata };
    return {
      id: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
      type: event.type,
      data: event.data as JsonObject,
      metadata: recordedMetadata,
      streamId,
      revision,
      position: index + 1,
      recordedAt: recordedMetadata.occurredAt,
    };
  });
}

/**
 * Given/then for projections, on the embedded document store:
 * `ProjectionSpecification.for(projection).given(events).then({ collection: documents })`.
 * It also delivers the events a second time and checks that nothing changes (at-least-once
 * delivery, exactly-once effects).
 */
export const ProjectionSpecification = {
  for(projection: Projection) {
    return {
      given(events: readonly GivenEvent[]) {
        return {
          async then(expected: Record<string, readonly object[]>): Promise<void> {
            const store = SqliteDocumentStore.open(':memory:');
            try {
              const db = projectionCollections(store, projection);
              await projection.setup(db);
              const log = recordedLog(events);
              await projection.applyBatch(log, db);
              const documents = await snapshotOf(store, Object.keys(expected));
              assert.deepStrictEqual(documents, sortedById(expected));
              await projection.applyBatch(log, db);
              assert.deepStrictEqual(await snapshotOf(store, Object.keys(expected)), documents, 'a redelivered batch changed documents');
            } finally {
              await store.close();
            }
          },
        };
      },
    };
  },
};

function sortedById(collections: Record<string, readonly object[]>): Record<string, object[]> {
  const id = (document: object) => String((document as { _id?: unknown })._id);
  return Object.fromEntries(Object.entries(collections).map(([name, documents]) => [name, [...documents].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0))]));
}
