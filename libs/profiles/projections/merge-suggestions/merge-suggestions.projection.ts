import type { RecordedEvent } from '../../../event-store/event-store.port.js';
import type { BulkWriteOperation } from '../../../document-store/document-store.port.js';
import type { Projection } from '../../../projections/projection.js';
import { MAX_CONTACTS_PER_KEY, matchKeysOf, reasonOf, reasonText, type MatchReason } from '../../merge-rules.js';
import { MERGE_SUGGESTION_STREAM_PREFIX, mergeSuggestionIdOf, type MergeSuggestionDismissed } from '../../merge-suggestion.js';
import { foldLinkedContact, type LinkedContact } from '../linked-contact.js';
import { findHoldingAny, findMatchingAny } from '../find-matching-any.js';
import { readStored, writeFolded } from '../../../projections/positioned-documents.js';
import { SentIds } from '../../../projections/written-documents.js';
import { contactEventsOf } from '../../../contacts/projections/contact-events-of.js';
import { groupBy } from '../../../projections/group-by.js';
import { IdsByValue } from '../ids-by-value.js';

export const MERGE_CANDIDATES_COLLECTION = 'merge_candidates';
export const MERGE_SUGGESTIONS_COLLECTION = 'merge_suggestions';
export const MERGE_DISMISSALS_COLLECTION = 'merge_dismissals';

/** The projection's fold of a contact, with its match keys. */
export type MergeCandidateDocument = LinkedContact & { _id: string; keys: string[]; position: number };

/** A pair of contacts likely to be one person, while it is to be shown. */
export type MergeSuggestionDocument = {
  _id: string;
  workspace: string;
  contactIds: [string, string];
  keys: string[];
  reasons: MatchReason[];
  reason: string;
};

/** A dismissed pair, from its `MergeSuggestionDismissed` event (the `_id` is the suggestion's). */
export type MergeDismissalDocument = { _id: string; workspace: string; contactIds: string[]; dismissedAt: string };

/**
 * `merge-suggestions`: pairs of contacts of different channels that share a phone or an e-mail
 * (merge-rules.ts), not attached to one profile, neither deleted, not dismissed.
 *
 * Each batch folds its contacts in memory, then recomputes every pair that a key of a changed
 * contact (before or after the change) connects, plus every shown pair of a changed contact,
 * from those folded contacts over the stored ones; a pair is a function of its two contacts,
 * its dismissal and how many contacts share its keys, so writing it again changes nothing.
 * The suggestions are written before the contacts: a batch that fails between is delivered
 * again onto the same stored contacts, and recomputes the same pairs. In collections only its
 * caller writes (a rebuild's), the contacts it wrote are remembered and written without the
 * position guard, which MongoDB-protocol servers like FerretDB cannot push down.
 */
export const mergeSuggestionsProjection: Projection = {
  name: 'merge-suggestions',
  collections: [MERGE_CANDIDATES_COLLECTION, MERGE_SUGGESTIONS_COLLECTION, MERGE_DISMISSALS_COLLECTION],

  async setup(db) {
    await db.collection<MergeCandidateDocument>(MERGE_CANDIDATES_COLLECTION).createIndex({ keys: 1 });
    const suggestions = db.collection<MergeSuggestionDocument>(MERGE_SUGGESTIONS_COLLECTION);
    await suggestions.createIndex({ workspace: 1, _id: 1 });
    await suggestions.createIndex({ contactIds: 1 });
    await suggestions.createIndex({ keys: 1 });
  },

  async applyBatch(events, db) {
    const candidates = db.collection<MergeCandidateDocument>(MERGE_CANDIDATES_COLLECTION);
    const suggestions = db.collection<MergeSuggestionDocument>(MERGE_SUGGESTIONS_COLLECTION);
    const dismissals = db.collection<MergeDismissalDocument>(MERGE_DISMISSALS_COLLECTION);

    const byContact = groupBy(
      contactEventsOf(events),
      (event) => event.contactId,
    );
    const written = db.owned?.written<MergeCandidateDocument>(MERGE_CANDIDATES_COLLECTION);
    const byKey = db.owned?.memory('merge-candidates-by-key', () => new IdsByValue<MergeCandidateDocument>((candidate) => candidate.keys));
    const stored = await readStored(candidates, [...byContact.keys()], written);
    const folded = new Map<string, MergeCandidateDocument>();
    const touchedKeys = new Set<string>();
    for (const [contactId, group] of byContact) {
      const before = stored.get(contactId) ?? null;
      let document = before;
      for (const event of group) {
        if (document === null || event.position > document.position) document = candidateOf(foldLinkedContact(document, event), event.position);
      }
      for (const key of [...(before?.keys ?? []), ...(document?.keys ?? [])]) touchedKeys.add(key);
      if (document) folded.set(contactId, document);
    }

    const dismissed = events.flatMap((event) => dismissalOf(event) ?? []);
    const touchedContacts = new Set([...folded.keys(), ...dismissed.flatMap((dismissal) => dismissal.contactIds)]);
    if (touchedContacts.size === 0) return;

    // Two queries, not one `$or`: each is then an indexed `$in` (a pair found twice is recomputed once).
    const shown = [...(await findMatchingAny(suggestions, 'contactIds', touchedContacts)), ...(await findMatchingAny(suggestions, 'keys', touchedKeys))];
    const sharing = await findHoldingAny(candidates, 'keys', touchedKeys, written, byKey);
    const contacts = new Map(sharing.map((doc) => [doc._id, doc]));
    const missing = [...new Set([...touchedContacts, ...shown.flatMap((doc) => doc.contactIds)])].filter((id) => !contacts.has(id) && !folded.has(id));
    for (const doc of (await readStored(candidates, missing, written)).values()) contacts.set(doc._id, doc);
    for (const [id, doc] of folded) contacts.set(id, doc);

    const pairs = pairsToRecompute([...contacts.values()], touchedKeys, shown);
    const dismissedIds = new Set([
      ...dismissed.map((dismissal) => dismissal._id),
      ...(await dismissals.find({ _id: { $in: [...pairs.keys()] } })).map((doc) => doc._id),
    ]);
    const crowded = crowdedKeys([...contacts.values()]);
    // In a rebuild's collections, the suggestions ever sent to the store: one never sent is inserted,
    // and a pair never sent needs no delete (FerretDB takes about 2.5 ms per upsert).
    const sent = db.owned?.memory('merge-suggestions-sent', () => new SentIds());
    const toShow: MergeSuggestionDocument[] = [];
    const operations: BulkWriteOperation<MergeSuggestionDocument>[] = [];
    for (const [id, [a, b]] of pairs) {
      const suggestion = suggestionOf(id, contacts.get(a), contacts.get(b), crowded, dismissedIds.has(id));
      if (suggestion && sent) toShow.push(suggestion);
      else if (suggestion) operations.push({ replaceOne: { filter: { _id: id }, replacement: suggestion, upsert: true } });
      else if (!sent || sent.has(id)) operations.push({ deleteOne: { filter: { _id: id } } });
    }

    if (dismissed.length > 0) {
      await dismissals.bulkWrite(dismissed.map((dismissal) => ({ replaceOne: { filter: { _id: dismissal._id }, replacement: dismissal, upsert: true } })));
    }
    if (sent) await sent.write(suggestions, toShow);
    if (operations.length > 0) await suggestions.bulkWrite(operations);
    const changed = [...folded.values()].filter((doc) => doc !== stored.get(doc._id));
    byKey?.writing(changed);
    await writeFolded(candidates, changed, written);
    byKey?.written(changed, (id) => stored.get(id)?.keys ?? []);
    // A deleted contact's values must not survive in the store's files (crypto-shredding, issue 7).
    if (contactEventsOf(events).some((event) => event.type === 'ContactDeleted')) await db.shredDeleted();
  },
};

function candidateOf(contact: LinkedContact, position: number): MergeCandidateDocument {
  return { _id: contact.contactId, ...contact, keys: matchKeysOf(contact), position };
}

function dismissalOf(event: RecordedEvent): MergeDismissalDocument | null {
  if (!event.streamId.startsWith(MERGE_SUGGESTION_STREAM_PREFIX) || event.type !== 'MergeSuggestionDismissed') return null;
  const { suggestionId, workspace, contactIds } = event.data as MergeSuggestionDismissed['data'];
  return { _id: suggestionId, workspace, contactIds, dismissedAt: String((event.metadata as { occurredAt?: string }).occurredAt) };
}

/** Keys that more contacts of a workspace share than one person plausibly has. */
function crowdedKeys(contacts: readonly MergeCandidateDocument[]): Set<string> {
  const counts = new Map<string, number>();
  for (const contact of contacts) for (const key of contact.keys) counts.set(`${contact.workspace}\n${key}`, (counts.get(`${contact.workspace}\n${key}`) ?? 0) + 1);
  return new Set([...counts].filter(([, count]) => count > MAX_CONTACTS_PER_KEY).map(([key]) => key));
}

/** Every pair a touched key connects (unless crowded), and every shown pair of a touched contact or key. */
function pairsToRecompute(
  contacts: readonly MergeCandidateDocument[],
  touchedKeys: ReadonlySet<string>,
  shown: readonly MergeSuggestionDocument[],
): Map<string, [string, string]> {
  const pairs = new Map<string, [string, string]>();
  const add = (workspace: string, a: string, b: string) => {
    if (a !== b) pairs.set(mergeSuggestionIdOf(workspace, [a, b]), [a, b].sort() as [string, string]);
  };
  const byKey = groupBy(
    contacts.flatMap((contact) => contact.keys.filter((key) => touchedKeys.has(key)).map((key) => ({ key: `${contact.workspace}\n${key}`, contact }))),
    (entry) => entry.key,
  );
  for (const group of byKey.values()) {
    if (group.length > MAX_CONTACTS_PER_KEY) continue;
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) add(group[i]!.contact.workspace, group[i]!.contact._id, group[j]!.contact._id);
  }
  for (const doc of shown) add(doc.workspace, ...doc.contactIds);
  return pairs;
}

function suggestionOf(
  id: string,
  a: MergeCandidateDocument | undefined,
  b: MergeCandidateDocument | undefined,
  crowded: ReadonlySet<string>,
  dismissed: boolean,
): MergeSuggestionDocument | null {
  if (!a || !b || dismissed || a.workspace !== b.workspace || a.deleted || b.deleted) return null;
  if (!a.channel || !b.channel || a.channel === b.channel) return null;
  if (a.profileId !== null && a.profileId === b.profileId) return null;
  const keys = a.keys.filter((key) => b.keys.includes(key) && !crowded.has(`${a.workspace}\n${key}`));
  if (keys.length === 0) return null;
  const reasons = keys.map(reasonOf);
  return { _id: id, workspace: a.workspace, contactIds: [a._id, b._id].sort() as [string, string], keys, reasons, reason: reasonText(reasons) };
}
