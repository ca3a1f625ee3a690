import { isDeepStrictEqual } from 'node:util';
import type { DocumentCollection, DocumentStore } from '../document-store/document-store.port.js';
import { SqliteDocumentStore } from '../document-store/sqlite/sqlite-document-store.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { CHECKPOINTS_COLLECTION as CHECKPOINTS, checkpointsOf } from './checkpoints.js';
import { projectionCollections, type Projection, type ProjectionCollections } from './projection.js';
import { ProgressReporter, type OnProgress } from './projection-progress.js';
import { OwnedCollections } from './owned-collections.js';

export interface ReadModelDifference {
  collection: string;
  id: string;
  problem: 'missing' | 'unexpected' | 'different';
  /** For `different`: the top-level properties that differ. */
  properties?: string[];
}

export interface VerifyResult {
  projection: string;
  collections: readonly string[];
  /** The position up to which the log was folded: the projection's checkpoint (the last one seen, see `settleMs`). */
  position: number;
  /** Events read from the log for the fold. */
  events: number;
  /** Stored documents compared with the fold. */
  checked: number;
  /** Stored documents written after the checkpoint (by a running projection): not compared. */
  skipped: number;
  differences: ReadModelDifference[];
  seconds: number;
}

export interface VerifyOptions {
  onProgress?: OnProgress;
  /** Events per batch of the fold; 1,000 by default. */
  batchSize?: number;
  /**
   * How long differences may wait for a running projection to move its checkpoint (it may be
   * between writing a batch and recording its checkpoint); 3 s by default. Waited only when the
   * checkpoint is behind the log's head.
   */
  settleMs?: number;
}

const PAGE_SIZE = 1000;
/** A difference still there after this many checkpoints of a busy projection is reported. */
const SETTLE_ROUNDS = 5;
const POLL_MS = 50;

type Doc = { _id: string; position?: unknown };

/**
 * The auditor's proof for one read model: folds the log afresh, up to the projection's
 * checkpoint, into a scratch store in memory (the projection's own declaration, each event once,
 * in log order, nothing read from the stored read models), then compares every document of every
 * collection of the projection with the fold: `missing`, `unexpected`, or `different` with the
 * top-level properties that differ.
 *
 * A projection running meanwhile writes documents past the checkpoint: those that record a newer
 * `position` are skipped (and counted). Its other changes (a sweep, a document without a
 * position, a deletion) show as differences until it records its checkpoint; so the documents
 * found different are compared again, the fold carried on to the new checkpoint, as long as the
 * checkpoint moves (waiting up to `settleMs` for it when it is behind the head), at most 5 times.
 */
export async function verifyProjection(
  eventStore: EventStore,
  documentStore: DocumentStore,
  projection: Projection,
  { onProgress, batchSize = 1000, settleMs = 3000 }: VerifyOptions = {},
): Promise<VerifyResult> {
  const scratchStore = SqliteDocumentStore.open(':memory:');
  try {
    const owned = new OwnedCollections();
    const scratch = projectionCollections(scratchStore, projection, { owned });
    const live = projectionCollections(documentStore, projection);
    const progress = new ProgressReporter(projection.name, eventStore, onProgress);
    await projection.setup(scratch);

    const checkpoint = await checkpointOf(eventStore, documentStore, projection.name);
    // `read`: the last event folded; `position`: the checkpoint folded up to (none after `read` is at or before it).
    let read = 0;
    let position = 0;
    // The events the projection reads, as its live loop and a rebuild read them.
    const filter = projection.eventTypes ? { eventTypes: [...projection.eventTypes] } : undefined;
    const foldTo = async (target: number): Promise<void> => {
      while (read < target) {
        const events = (await eventStore.readAll({ after: read, maxCount: batchSize, filter })).filter((event) => event.position <= target);
        if (events.length === 0) break;
        await projection.applyBatch(events, scratch);
        read = events.at(-1)!.position;
        await progress.record(events.length, read);
      }
      await owned.flush();
      position = target;
    };
    await foldTo(checkpoint.position);

    let checked = 0;
    let skipped = 0;
    let differences: ReadModelDifference[] = checkpoint.difference ? [checkpoint.difference] : [];
    for (const collection of projection.collections) {
      const found = await compareCollection(collection, live, scratch, position);
      checked += found.checked;
      skipped += found.skipped;
      differences.push(...found.differences);
    }

    // Differences a running projection may be about to settle: compare them again past its next checkpoint.
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      const open = differences.filter((difference) => difference.collection !== CHECKPOINTS);
      if (open.length === 0) break;
      const moved = await checkpointAfter(eventStore, documentStore, projection.name, position, settleMs);
      if (moved === null) break;
      await foldTo(moved);
      const again: ReadModelDifference[] = differences.filter((difference) => difference.collection === CHECKPOINTS);
      for (const difference of open) {
        const [stored, folded] = await Promise.all([
          live.collection<Doc>(difference.collection).findOne({ _id: difference.id }),
          scratch.collection<Doc>(difference.collection).findOne({ _id: difference.id }),
        ]);
        const still = differenceOf(difference.collection, difference.id, stored, folded, position);
        if (still) again.push(still);
      }
      differences = again;
    }
    await progress.record(0, position, true);
    return { projection: projection.name, collections: projection.collections, position, events: progress.eventsApplied, checked, skipped, differences, seconds: progress.seconds };
  } finally {
    await scratchStore.close();
  }
}

/** The checkpoint, and a difference when it belongs to another log than this one. */
async function checkpointOf(eventStore: EventStore, documentStore: DocumentStore, name: string): Promise<{ position: number; difference: ReadModelDifference | null }> {
  const stored = await checkpointsOf(documentStore).findOne({ _id: name });
  const logId = await eventStore.logId();
  const foreign = stored?.logId !== undefined && stored.logId !== logId;
  return {
    position: stored?.position ?? 0,
    difference: foreign ? { collection: CHECKPOINTS, id: name, problem: 'different', properties: ['logId'] } : null,
  };
}

/** The checkpoint once it is past `position`; null when it stays there (at the head at once, else after `settleMs`). */
async function checkpointAfter(eventStore: EventStore, documentStore: DocumentStore, name: string, position: number, settleMs: number): Promise<number | null> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const stored = (await checkpointsOf(documentStore).findOne({ _id: name }))?.position ?? 0;
    if (stored > position) return stored;
    if (stored >= (await eventStore.headPosition()) || Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Every stored document of the collection against the fold's document of the same `_id`, a
 * thousand ids at a time (looked up by `_id` in both stores: no store has to sort or range-scan
 * its collection), then the fold's documents that were not stored.
 */
async function compareCollection(
  collection: string,
  live: ProjectionCollections,
  scratch: ProjectionCollections,
  position: number,
): Promise<{ checked: number; skipped: number; differences: ReadModelDifference[] }> {
  const stored = live.collection<Doc>(collection);
  const folded = scratch.collection<Doc>(collection);
  const storedIds = await idsOf(stored);
  const differences: ReadModelDifference[] = [];
  let checked = 0;
  let skipped = 0;
  for (let start = 0; start < storedIds.length; start += PAGE_SIZE) {
    const ids = storedIds.slice(start, start + PAGE_SIZE);
    const [page, expected] = await Promise.all([byId(stored, ids), byId(folded, ids)]);
    for (const id of ids) {
      const document = page.get(id) ?? null;
      if (isNewer(document, position)) {
        skipped++;
        continue;
      }
      checked++;
      const difference = differenceOf(collection, id, document, expected.get(id) ?? null, position);
      if (difference) differences.push(difference);
    }
  }
  const seen = new Set(storedIds);
  for (const id of await idsOf(folded)) if (!seen.has(id)) differences.push({ collection, id, problem: 'missing' });
  return { checked, skipped, differences };
}

/** Every `_id` of the collection, sorted (so differences come out in `_id` order). */
async function idsOf(collection: DocumentCollection<Doc>): Promise<string[]> {
  return (await collection.find<{ _id: string }>({}, { projection: { _id: 1 } })).map(({ _id }) => _id).sort();
}

async function byId(collection: DocumentCollection<Doc>, ids: readonly string[]): Promise<Map<string, Doc>> {
  return new Map((await collection.find({ _id: { $in: [...ids] } })).map((document) => [document._id, document]));
}

/** A document that records a position after the checkpoint: written by a projection running meanwhile. */
function isNewer(document: Doc | null, position: number): boolean {
  return typeof document?.position === 'number' && document.position > position;
}

/** How the stored document departs from the fold's; null when it does not (or is newer than the fold). */
function differenceOf(collection: string, id: string, stored: Doc | null, folded: Doc | null, position: number): ReadModelDifference | null {
  if (isNewer(stored, position)) return null;
  if (!stored) return folded ? { collection, id, problem: 'missing' } : null;
  if (!folded) return { collection, id, problem: 'unexpected' };
  const a = normalized(stored) as Record<string, unknown>;
  const b = normalized(folded) as Record<string, unknown>;
  if (isDeepStrictEqual(a, b)) return null;
  const properties = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !isDeepStrictEqual(a[key], b[key])).sort();
  return { collection, id, problem: 'different', properties };
}

/** Compared as JSON: stores may drop undefined properties. */
function normalized(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
