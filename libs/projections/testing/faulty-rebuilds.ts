import { DocumentStoreUnavailableError, type DocumentStore } from '../../document-store/document-store.port.js';
import { FailingDocumentStore } from '../../document-store/testing/failing-document-store.js';
import type { Projection } from '../projection.js';

/**
 * The projection, with the store's answer to its first batch lost: the batch is written, then
 * reported as not answered in time, so the caller applies the same events again over what landed.
 * `sizes` records the length of every batch it is given.
 */
export function answerLostOnce(projection: Projection): { projection: Projection; sizes: number[] } {
  const sizes: number[] = [];
  return {
    sizes,
    projection: {
      ...projection,
      async applyBatch(events, db) {
        sizes.push(events.length);
        await projection.applyBatch(events, db);
        if (sizes.length === 1) throw new DocumentStoreUnavailableError('the read-model database did not answer in time');
      },
    },
  };
}

/** A rebuild to run through a fault: the store and projection to give it, its batch size, and whether the fault made it apply a batch again. */
export interface FaultyRebuild {
  store: DocumentStore;
  projection: Projection;
  batchSize: number;
  retried: () => boolean;
}

/** The answer to the first batch lost; batches of 3, so every write of the first lands before. */
export function rebuildLosingAnswer(projection: Projection, store: DocumentStore): FaultyRebuild {
  const lost = answerLostOnce(projection);
  return { store, projection: lost.projection, batchSize: 3, retried: () => lost.sizes.length > 1 && lost.sizes[1]! < lost.sizes[0]! };
}

/**
 * The `failOn`-th write of many documents (bulk write or insert) crashing half-way, the store not
 * answering; one batch for the whole log, so the documents the write lost are touched by no later batch.
 */
export function rebuildCrashingWrite(projection: Projection, store: DocumentStore, failOn: number): FaultyRebuild {
  const failing = new FailingDocumentStore(store, failOn, { unavailable: true, insertsToo: true });
  return { store: failing, projection, batchSize: 100, retried: () => failing.failures === 1 };
}
