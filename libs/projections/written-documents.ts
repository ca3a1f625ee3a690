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

/** Documents held back at most before the oldest half goes to the store: most rebuilds send each document once, at the end. */
const HELD_DOCUMENTS = 10_000;
/** Documents per write when held ones are sent. */
const SENT_PER_WRITE = 1_000;

/**
 * What a projection wrote to a collection it owns (owned-collections.ts), so that a batch reads
 * back only what it no longer remembers and writes without a guard. Writes are held back: a
 * document goes to the store when the held ones outgrow their bound (the oldest half) or at
 * `flush`, so a document that many batches touch (a profile gaining members all along the log) is
 * sent once, not once per batch — on FerretDB, whose every write by `_id` but an insert scans the
 * collection, that is the difference between a linear and a quadratic rebuild. A document is
 * inserted the first time and replaced by `_id` after (SentIds); until the store has answered,
 * it stays held, so a failed send loses nothing and the next one upserts it. Whoever reads the
 * collection otherwise (a sweep, a comparison, a swap) flushes first.
 */
export class WrittenDocuments<D extends PositionedDocument> {
  private readonly sent = new SentIds();
  private readonly stored: LRUCache<string, D>;
  /** Written, not yet in the store, oldest first. */
  private readonly held = new Map<string, D>();
  private collection: DocumentCollection<D> | null = null;

  constructor(
    remembered = REMEMBERED_DOCUMENTS,
    private readonly heldAtMost = HELD_DOCUMENTS,
  ) {
    this.stored = new LRUCache<string, D>({ max: remembered });
  }

  /** The documents of these ids as written: held or remembered, read for those sent but forgotten, none for the others. */
  async read(collection: DocumentCollection<D>, ids: readonly string[]): Promise<Map<string, D>> {
    const byId = new Map<string, D>();
    const forgotten: string[] = [];
    for (const id of ids) {
      const document = this.held.get(id) ?? this.stored.get(id);
      if (document) byId.set(id, document);
      else if (this.sent.has(id)) forgotten.push(id);
    }
    if (forgotten.length > 0) for (const document of await collection.find({ _id: { $in: forgotten } })) byId.set(document._id, document);
    return byId;
  }

  /** Holds the documents back, sending the oldest half of the held ones when they outgrow their bound. */
  async write(collection: DocumentCollection<D>, documents: readonly D[]): Promise<void> {
    this.collection = collection;
    for (const document of documents) {
      this.stored.delete(document._id);
      this.held.delete(document._id);
      // A copy, as the embedded store keeps it (JSON). Folds write no undefined property, which MongoDB would keep as null.
      this.held.set(document._id, JSON.parse(JSON.stringify(document)) as D);
    }
    if (this.held.size > this.heldAtMost) await this.send([...this.held.values()].slice(0, this.held.size - Math.floor(this.heldAtMost / 2)));
  }

  /** Sends every held document to the store. */
  async flush(): Promise<void> {
    await this.send([...this.held.values()]);
  }

  /** Deleted documents: neither held nor remembered (they stay "sent": a later write upserts). */
  forget(ids: Iterable<string>): void {
    for (const id of ids) {
      this.held.delete(id);
      this.stored.delete(id);
    }
  }

  /** After writes made past this memory (a sweep, once flushed): every document is read back when next needed. */
  forgetAll(): void {
    this.stored.clear();
  }

  private async send(documents: readonly D[]): Promise<void> {
    for (let at = 0; at < documents.length; at += SENT_PER_WRITE) {
      const part = documents.slice(at, at + SENT_PER_WRITE);
      await this.sent.write(this.collection!, part);
      for (const document of part) {
        if (this.held.get(document._id) !== document) continue;
        this.held.delete(document._id);
        this.stored.set(document._id, document);
      }
    }
  }
}
