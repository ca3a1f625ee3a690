import type { DocumentCollection, IndexKeys } from '../document-store/document-store.port.js';
import type { AnyRecordedEvent, DomainEvent, Recorded } from '../eventsourcing/domain-event.js';
import { foldDocuments, writeFolded } from './positioned-documents.js';
import { groupBy } from './group-by.js';
import type { Projection, ProjectionCollections } from './projection.js';

/** A read-model document as stored: its id and the log position of the last event folded into it. */
export type Positioned<D> = D & { _id: string; position: number };

/**
 * A read model declared by what it folds: one document per id, each event of the types it can
 * handle folded into the document it belongs to. The runtime does the rest: it reads only those
 * types, groups a batch by document, folds each document from the position it records (so a
 * redelivered event changes nothing), writes each only over an older version of itself,
 * checkpoints, and rebuilds.
 */
export interface DocumentProjectionDefinition<E extends DomainEvent, D extends object> {
  readonly name: string;
  /** The event types it folds: the only ones the runtime reads for it. */
  readonly canHandle: readonly E['type'][];
  /** Where its documents live. */
  readonly collection: string;
  readonly indexes?: readonly IndexKeys[];
  /** The document an event changes; null when it changes none. */
  documentId(event: Recorded<E>): string | null;
  /** The document after the event: a new object, the one given left as it is. */
  evolve(document: Positioned<D> | null, event: Recorded<E>): D;
  /**
   * What an event changes across documents (a deleted contact's document goes; an archived
   * custom field leaves every view of its workspace): run after the batch's folded documents
   * and records are written, for each handled event; idempotent updates only.
   */
  sweep?(event: Recorded<E>, target: { documents: DocumentCollection<Positioned<D>>; records: DocumentCollection<{ _id: string }> | null }): Promise<void>;
  /**
   * Event types that remove their document: the runtime folds none of the batch's events of
   * that document (folding them again after a redelivery would start from no document) and
   * deletes it.
   */
  readonly deletedBy?: readonly E['type'][];
  /** Event types that erase personal data: after a batch with one, the store shreds what was deleted or overwritten. */
  readonly shredsAfter?: readonly E['type'][];
  /**
   * Documents that one event yields on its own, beside the folded one (an audit trail's
   * entries): written first, each under an `_id` that derives from its event, so that writing
   * one again after a crash changes nothing.
   */
  readonly records?: {
    readonly collection: string;
    readonly indexes?: readonly IndexKeys[];
    of(before: Positioned<D> | null, after: D, event: Recorded<E>): Array<{ _id: string }>;
  };
}

/** The runtime's Projection of a declaration. */
export function documentProjection<E extends DomainEvent, D extends object>(definition: DocumentProjectionDefinition<E, D>): Projection {
  const { name, canHandle, collection, indexes = [], records } = definition;
  const handled: ReadonlySet<string> = new Set(canHandle);
  const isHandled = (event: AnyRecordedEvent): event is Recorded<E> => handled.has(event.type);
  const deleting: ReadonlySet<string> = new Set(definition.deletedBy ?? []);
  const shredding: ReadonlySet<string> = new Set(definition.shredsAfter ?? []);

  return {
    name,
    eventTypes: canHandle,
    collections: records ? [collection, records.collection] : [collection],
    // It reads the documents of a batch by `_id`; only sweeps, for rare events, query by more.
    findsByIdOnly: true,

    async setup(db: ProjectionCollections) {
      for (const keys of indexes) await db.collection(collection).createIndex(keys);
      for (const keys of records?.indexes ?? []) await db.collection(records!.collection).createIndex(keys);
    },

    async applyBatch(events, db) {
      const documents = db.collection<Positioned<D>>(collection);
      // In collections only this caller writes, what was written is remembered across batches.
      const written = db.owned?.written<Positioned<D>>(collection);
      const produced: Array<{ _id: string }> = [];
      const logged: readonly AnyRecordedEvent[] = events;
      const handledEvents = logged.filter(isHandled);
      const deleted = new Set(handledEvents.filter((event) => deleting.has(event.type)).flatMap((event) => definition.documentId(event) ?? []));
      const kept = deleted.size === 0 ? handledEvents : handledEvents.filter((event) => !deleted.has(definition.documentId(event) ?? ''));
      const changed = await foldDocuments(
        documents,
        groupBy(kept, definition.documentId),
        (document, event) => {
          const after = definition.evolve(document, event);
          if (records) produced.push(...records.of(document, after, event));
          return { ...after, _id: definition.documentId(event)!, position: event.position };
        },
        written,
      );
      const recordsCollection = records ? db.collection<{ _id: string }>(records.collection) : null;
      if (recordsCollection && produced.length > 0) {
        // Records first: once the folded document records an event, a retry no longer derives its records.
        // Inserted when no attempt can have written them; otherwise upserted (not `$setOnInsert`: FerretDB drops its null values).
        if (db.owned?.firstApplication(events)) await recordsCollection.insertMany(produced);
        else await recordsCollection.bulkWrite(produced.map((record) => ({ replaceOne: { filter: { _id: record._id }, replacement: record, upsert: true } })));
      }
      await writeFolded(documents, changed, written);
      if (deleted.size > 0) {
        await documents.deleteMany({ _id: { $in: [...deleted] } });
        written?.forget(deleted);
      }
      if (definition.sweep) {
        // A sweep finds its documents by more than `_id`: what is held back must be in the store.
        await written?.flush();
        const swept = written ? noticingWrites(documents, () => written.forgetAll()) : documents;
        for (const event of handledEvents) await definition.sweep(event, { documents: swept, records: recordsCollection });
      }
      if (handledEvents.some((event) => shredding.has(event.type))) await db.shredDeleted();
    },
  };
}

/** The collection's reads: any other method may write (a write method added to the port is noticed without a change here). */
const READS: ReadonlySet<string | symbol> = new Set(['findOne', 'find', 'count']);

/** The collection, calling `wrote` after each call but a read made through it. */
function noticingWrites<T extends { _id: string }>(collection: DocumentCollection<T>, wrote: () => void): DocumentCollection<T> {
  return new Proxy(collection, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || READS.has(property)) return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...args: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          wrote();
        }
      };
    },
  });
}
