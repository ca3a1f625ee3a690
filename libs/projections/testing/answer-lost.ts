import { DocumentStoreUnavailableError } from '../../document-store/document-store.port.js';
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
