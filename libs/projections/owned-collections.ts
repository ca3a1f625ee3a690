import type { PositionedDocument } from './positioned-documents.js';
import { WrittenDocuments } from './written-documents.js';

/**
 * What a projection may rely on when its caller made its collections empty and alone writes them
 * (a rebuild's fresh collections, a verification's scratch fold): nothing changes them between its
 * batches, so it may remember what it wrote instead of reading it back, hold its writes back, and
 * insert what no earlier attempt can have written instead of upserting it. The caller flushes
 * before it reads the collections or hands them over.
 */
export class OwnedCollections {
  private readonly writtenTo = new Map<string, WrittenDocuments<PositionedDocument>>();
  private readonly memories = new Map<string, unknown>();
  /** The last position of every batch an attempt failed on: its writes may be in the store, in part. */
  private attemptedUpTo = 0;

  /** The owner's word that applying a batch up to `lastPosition` failed and will be retried. */
  failedAttempt(lastPosition: number): void {
    this.attemptedUpTo = Math.max(this.attemptedUpTo, lastPosition);
  }

  /** Whether no attempt has written any of these events (in position order) before. */
  firstApplication(events: readonly { position: number }[]): boolean {
    return events.length > 0 && events[0]!.position > this.attemptedUpTo;
  }

  /** What else a projection keeps across its batches under `key`, made on first use. */
  memory<M>(key: string, create: () => M): M {
    if (!this.memories.has(key)) this.memories.set(key, create());
    return this.memories.get(key) as M;
  }

  /** Sends what the projection's writes hold back (written-documents.ts) to the store. */
  async flush(): Promise<void> {
    for (const written of this.writtenTo.values()) await written.flush();
  }

  /** What the projection wrote to one of its collections, remembered across its batches. */
  written<D extends PositionedDocument>(collection: string): WrittenDocuments<D> {
    let written = this.writtenTo.get(collection);
    if (!written) this.writtenTo.set(collection, (written = new WrittenDocuments()));
    return written as unknown as WrittenDocuments<D>;
  }
}
