import { LRUCache } from 'lru-cache';
import type { DocumentCollection } from '../document-store/document-store.port.js';
import type { PositionedDocument } from './positioned-documents.js';

/** Documents remembered per owned collection: a rebuild's batches many times over, bounded for a log of millions. */
const REMEMBERED_DOCUMENTS = 50_000;

/**
 * What a projection wrote to a collection it owns (owned-collections.ts), so that a batch reads
 * back only what it no longer remembers and writes without a guard: the ids ever written (maybe
 * stored), and the last documents as stored. A document never written is not in the store, so
 * it is inserted; one written before is replaced by `_id` alone, its stored version being known
 * (no other writer). On MongoDB-protocol servers that is the difference between one insert per
 * batch and a query per document (FerretDB pushes no `position` guard down).
 */
export class WrittenDocuments<D extends PositionedDocument> {
  private readonly written = new Set<string>();
  private readonly stored: LRUCache<string, D>;

  constructor(remembered = REMEMBERED_DOCUMENTS) {
    this.stored = new LRUCache<string, D>({ max: remembered });
  }

  /** The stored documents of these ids: remembered, read for those written but forgotten, none for the others. */
  async read(collection: DocumentCollection<D>, ids: readonly string[]): Promise<Map<string, D>> {
    const byId = new Map<string, D>();
    const forgotten: string[] = [];
    for (const id of ids) {
      const document = this.stored.get(id);
      if (document) byId.set(id, document);
      else if (this.written.has(id)) forgotten.push(id);
    }
    if (forgotten.length > 0) for (const document of await collection.find({ _id: { $in: forgotten } })) byId.set(document._id, document);
    return byId;
  }

  /**
   * Inserts the documents never written, replaces the others. Until the store answers, each is
   * "written, not remembered": if the write fails, the next batch reads back whatever landed.
   */
  async write(collection: DocumentCollection<D>, documents: readonly D[]): Promise<void> {
    const fresh = documents.filter((document) => !this.written.has(document._id));
    const again = documents.filter((document) => this.written.has(document._id));
    for (const document of documents) {
      this.written.add(document._id);
      this.stored.delete(document._id);
    }
    if (fresh.length > 0) await collection.insertMany(fresh);
    // Upserts: a document deleted since it was written is written again.
    if (again.length > 0) await collection.bulkWrite(again.map((document) => ({ replaceOne: { filter: { _id: document._id }, replacement: document, upsert: true } })));
    // A copy, as the embedded store keeps it (JSON). Folds write no undefined property, which MongoDB would keep as null.
    for (const document of documents) this.stored.set(document._id, JSON.parse(JSON.stringify(document)) as D);
  }

  /** Deleted documents: no longer remembered (they stay "written": a later write upserts). */
  forget(ids: Iterable<string>): void {
    for (const id of ids) this.stored.delete(id);
  }

  /** After writes made past this memory (a sweep): every document is read back when next needed. */
  forgetAll(): void {
    this.stored.clear();
  }
}
