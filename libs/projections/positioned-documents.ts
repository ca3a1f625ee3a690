import type { DocumentCollection } from '../document-store/document-store.port.js';
import type { WrittenDocuments } from './written-documents.js';

/** A read-model document that records the log position of the last event applied to it. */
export type PositionedDocument = { _id: string; position: number };

/**
 * Folds a batch into one document per entity: reads every document the batch touches in one
 * `find` (or from `written`, in owned collections), and applies to each only the events after the
 * position it records, so a redelivered event changes nothing. Returns the documents that changed,
 * ready for `writeFolded`.
 */
export async function foldDocuments<D extends PositionedDocument, E extends { position: number }>(
  collection: DocumentCollection<D>,
  eventsByDocument: ReadonlyMap<string, readonly E[]>,
  fold: (document: D | null, event: E) => D,
  written?: WrittenDocuments<D>,
): Promise<D[]> {
  const byId = await readStored(collection, [...eventsByDocument.keys()], written);
  const changed: D[] = [];
  for (const [id, events] of eventsByDocument) {
    const before = byId.get(id) ?? null;
    let document = before;
    for (const event of events) {
      if (document === null || event.position > document.position) document = fold(document, event);
    }
    if (document !== null && document !== before) changed.push(document);
  }
  return changed;
}

/**
 * Writes the documents back in one bulk write, each only over an older version of itself
 * (`position < new position`). A newer stored version makes the upsert fail with a
 * duplicate key; the runner then retries the batch, which re-reads and skips what is there.
 */
export async function writeGuarded<D extends PositionedDocument>(collection: DocumentCollection<D>, documents: readonly D[]): Promise<void> {
  if (documents.length === 0) return;
  await collection.bulkWrite(
    documents.map((document) => ({
      replaceOne: { filter: { _id: document._id, position: { $lt: document.position } }, replacement: document, upsert: true },
    })),
  );
}

/** The stored documents of these ids: from `written` in owned collections (owned-collections.ts), else in one `find`. */
export async function readStored<D extends PositionedDocument>(collection: DocumentCollection<D>, ids: readonly string[], written?: WrittenDocuments<D>): Promise<Map<string, D>> {
  if (written) return written.read(collection, ids);
  if (ids.length === 0) return new Map();
  return new Map((await collection.find({ _id: { $in: [...ids] } })).map((document) => [document._id, document]));
}

/** Writes folded documents back: through `written` in owned collections, else each only over an older version of itself. */
export async function writeFolded<D extends PositionedDocument>(collection: DocumentCollection<D>, documents: readonly D[], written?: WrittenDocuments<D>): Promise<void> {
  if (written) await written.write(collection, documents);
  else await writeGuarded(collection, documents);
}
