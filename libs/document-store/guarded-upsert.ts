import { isDuplicateKeyError, type DocumentCollection, type Filter, type Update } from './document-store.port.js';

export type GuardedUpsertOutcome = 'applied' | 'already-applied';

/**
 * Upserts the document `filter._id` unless the rest of the filter (the guard, such as
 * `{ position: { $lt: p } }`) rejects the stored document.
 *
 * When the document exists and the guard rejects it, the server attempts an insert with the
 * same `_id` and answers with a duplicate-key error; on MongoDB, FerretDB and the embedded SQLite
 * store alike. That error means "already applied" only if the document exists and fails the
 * guard; any other duplicate key (another unique index) is a real conflict and is rethrown.
 */
export async function guardedUpsert<T extends { _id: string }>(
  collection: DocumentCollection<T>,
  filter: Filter & { _id: string },
  update: Update,
): Promise<GuardedUpsertOutcome> {
  try {
    await collection.updateOne(filter, update, { upsert: true });
    return 'applied';
  } catch (error) {
    if (isDuplicateKeyError(error) && (await guardRejectsStoredDocument(collection, filter))) {
      return 'already-applied';
    }
    throw error;
  }
}

async function guardRejectsStoredDocument<T extends { _id: string }>(
  collection: DocumentCollection<T>,
  filter: Filter & { _id: string },
): Promise<boolean> {
  const exists = (await collection.count({ _id: filter._id })) === 1;
  return exists && (await collection.count(filter)) === 0;
}
