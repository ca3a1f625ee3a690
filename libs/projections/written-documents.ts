import { LRUCache } from 'lru-cache';
import type { DocumentCollection } from '../document-store/document-store.port.js';
import type { PositionedDocument } from './positioned-documents.js';

/** Documents remembered per owned collection: a rebuild's batches many times over, bounded for a log of millions. */
const REMEMBERED_DOCUMENTS = 50_000;

/**
 * The ids of the documents ever sent to a collection its caller owns (owned-collections.ts): a
 * document never sent is not in the store, so it is inserted; the others are replaced by `_id`
 * (upserted: one deleted since is written again). An id counts as sent from the moment its write
 * is sent, so a write that fails half-way never has a document inserted twice.
 */
export class SentIds {
  private readonly ids = new Set<string>();

  has(id: string): boolean {
    return this.ids.has(id);
  }

  async write<D extends { _id: string }>(collection: DocumentCollection<D>, documents: readonly D[]): Promise<void> {
    const fresh = documents.filter((document) => !this.ids.has(document._id));
    const again = documents.filter((document) => this.ids.has(document._id));
    for (const document of documents) this.ids.add(document._id);
    if (fresh.length > 0) await collection.insertMany(fresh);
    if (again.length > 0) await collection.bulkWrite(again.map((document) => ({ replaceOne: { filter: { _id: document._id }, replacement: document, upsert: true } })));
  }
}

/**
 * What a projection wrote to a collection it owns (owned-collections.ts), so that a batch reads
 * back only what it no longer remembers and writes without a guard: the ids ever written (maybe
 * stored, SentIds), and the last documents as stored. A document is inserted or replaced by `_id`
 * alone, its stored version being known (no other writer). On MongoDB-protocol servers that is the
 * difference between one insert per batch and a query per document (FerretDB pushes no
 * `position` guard down).
 */
export class WrittenDocuments<D extends PositionedDocument> {
  private readonly sent = new SentIds();
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
      else if (this.sent.has(id)) forgotten.push(id);
    }
    if (forgotten.length > 0) for (const document of await collection.find({ _id: { $in: forgotten } })) byId.set(document._id, document);
    return byId;
  }

  /**
   * Inserts the documents never written, replaces the others. Until the store answers, each is
   * "written, not remembered": if the write fails, the next batch reads back whatever landed.
   */
  async write(collection: DocumentCollection<D>, documents: readonly D[]): Promise<void> {
    for (const document of documents) this.stored.delete(document._id);
    await this.sent.write(collection, documents);
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
