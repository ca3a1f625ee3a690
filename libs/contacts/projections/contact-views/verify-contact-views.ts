import { isDeepStrictEqual } from 'node:util';
import type { DocumentStore } from '../../../document-store/document-store.port.js';
import type { EventStore } from '../../../event-store/event-store.port.js';
import { readCheckpoints } from '../../../projections/checkpoints.js';
import { contactEventsOf } from '../contact-events-of.js';
import { archivedCustomFieldsOf } from '../workspace-events-of.js';
import { applyToContactView, type ContactView } from './contact-view.js';
import { CONTACT_VIEWS_COLLECTION, contactViewsProjection, viewOf, type ContactViewDocument } from './contact-views.projection.js';

export interface ReadModelDifference {
  id: string;
  problem: 'missing' | 'unexpected' | 'different';
  /** For `different`: the top-level properties that differ. */
  properties?: string[];
}

export interface VerifyResult {
  readModel: string;
  /** The position up to which the log was folded: the projection's checkpoint. */
  position: number;
  checked: number;
  /** Documents written after the checkpoint (a running projection): not compared. */
  skipped: number;
  differences: ReadModelDifference[];
}

const PAGE_SIZE = 1000;

/**
 * The auditor's proof for the contact views: folds the log afresh, up to the projection's
 * checkpoint, outside the projection runtime (no batches, no stored documents read back), and
 * compares every stored view with the fold.
 */
export async function verifyContactViews(eventStore: EventStore, documentStore: DocumentStore): Promise<VerifyResult> {
  const name = contactViewsProjection.name;
  const position = (await readCheckpoints(documentStore, [name]))[name]!;
  const expected = new Map<string, ContactView>();
  for (let after = 0; after < position; ) {
    const page = (await eventStore.readAll({ after, maxCount: PAGE_SIZE })).filter((event) => event.position <= position);
    if (page.length === 0) break;
    for (const event of contactEventsOf(page)) {
      if (event.type === 'ContactDeleted') expected.delete(event.contactId);
      else expected.set(event.contactId, applyToContactView(expected.get(event.contactId) ?? null, event));
    }
    for (const { workspace, name: field } of archivedCustomFieldsOf(page)) {
      for (const view of expected.values()) if (view.workspace === workspace) delete view.customFields[field];
    }
    after = page.at(-1)!.position;
  }

  const differences: ReadModelDifference[] = [];
  const stored = await documentStore.collection<ContactViewDocument>(CONTACT_VIEWS_COLLECTION).find({});
  let skipped = 0;
  const seen = new Set<string>();
  for (const document of stored) {
    if (document.position > position) {
      skipped++;
      seen.add(document._id);
      continue;
    }
    seen.add(document._id);
    const fold = expected.get(document._id);
    const view = viewOf(document);
    if (!fold) differences.push({ id: document._id, problem: 'unexpected' });
    else if (!isDeepStrictEqual(normalized(view), normalized(fold))) {
      const keys = new Set([...Object.keys(view), ...Object.keys(fold)]);
      const properties = [...keys].filter((key) => !isDeepStrictEqual(normalized((view as Record<string, unknown>)[key]), normalized((fold as Record<string, unknown>)[key])));
      differences.push({ id: document._id, problem: 'different', properties });
    }
  }
  for (const id of expected.keys()) if (!seen.has(id)) differences.push({ id, problem: 'missing' });
  return { readModel: CONTACT_VIEWS_COLLECTION, position, checked: stored.length - skipped, skipped, differences };
}

/** Compared as JSON: stores may drop undefined properties. */
function normalized(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
