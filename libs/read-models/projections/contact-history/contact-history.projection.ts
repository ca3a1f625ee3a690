import {
  effectiveValue,
  evolveContact,
  initialContactState,
  type ContactField,
  type ContactState,
} from '../../../domain/contacts/index.js';
import type { Actor, Source } from '../../../shared-kernel/event-metadata.js';
import { byContact, contactEventsOf, type LoggedContactEvent } from '../contact-events-of.js';
import { foldDocuments, writeGuarded } from '../positioned-documents.js';
import type { Projection } from '../projection.js';

export const CONTACT_HISTORY_COLLECTION = 'contact_history';
export const CONTACT_HISTORY_STATE_COLLECTION = 'contact_history_state';

/** One field change of the audit trail; `_id` is `<eventId>:<field>`, so a redelivered entry is a no-op. */
export type ContactHistoryDocument = {
  _id: string;
  workspace: string;
  contactId: string;
  /** When the change occurred (the event's `occurredAt`). */
  at: string;
  actor: Actor;
  source: Source;
  field: ContactField;
  from: string | null;
  to: string | null;
  eventType: LoggedContactEvent['type'];
  eventId: string;
  position: number;
};

/** The projection's own fold of a contact, to know the "from" of each change. */
export type ContactHistoryStateDocument = { _id: string; state: ContactState; position: number };

/**
 * `contact-history`: the audit trail. Edits, clears and restores record the field's effective
 * value before and after; channel data records the channel's value before and after, for the
 * fields whose channel value changed.
 */
export const contactHistoryProjection: Projection = {
  name: 'contact-history',
  collections: [CONTACT_HISTORY_COLLECTION, CONTACT_HISTORY_STATE_COLLECTION],

  async setup(db) {
    const history = db.collection<ContactHistoryDocument>(CONTACT_HISTORY_COLLECTION);
    await history.createIndex({ workspace: 1, contactId: 1, position: 1, _id: 1 });
    await history.createIndex({ workspace: 1, 'actor.id': 1, position: 1, _id: 1 });
    await history.createIndex({ workspace: 1, position: 1, _id: 1 });
  },

  async applyBatch(events, db) {
    const history = db.collection<ContactHistoryDocument>(CONTACT_HISTORY_COLLECTION);
    const states = db.collection<ContactHistoryStateDocument>(CONTACT_HISTORY_STATE_COLLECTION);
    const entries: ContactHistoryDocument[] = [];
    const changed = await foldDocuments(states, byContact(contactEventsOf(events)), (document, event) => {
      const before = document?.state ?? initialContactState();
      const after = evolveContact(before, event);
      entries.push(...historyEntriesOf(event, before, after));
      return { _id: event.contactId, state: after, position: event.position };
    });
    // Entries first: once the state records an event, a retry no longer derives its entries.
    // An entry's content derives from its event alone, so writing it again changes nothing.
    // (Not `$setOnInsert`: FerretDB drops its null values.)
    if (entries.length > 0) {
      await history.bulkWrite(entries.map((entry) => ({ replaceOne: { filter: { _id: entry._id }, replacement: entry, upsert: true } })));
    }
    await writeGuarded(states, changed);
  },
};

function historyEntriesOf(event: LoggedContactEvent, before: ContactState, after: ContactState): ContactHistoryDocument[] {
  const changes: Array<{ field: ContactField; from: string | null; to: string | null }> = [];
  switch (event.type) {
    case 'ContactRegistered':
      break;
    case 'ChannelDataReceived':
      for (const field of Object.keys(event.data.personal.values) as ContactField[]) {
        const from = before.fields[field].channelValue;
        const to = after.fields[field].channelValue;
        if (from !== to) changes.push({ field, from, to });
      }
      break;
    case 'ContactFieldEdited':
    case 'ContactFieldCleared':
      changes.push(effectiveChange(event.data.field, before, after));
      break;
    case 'ContactRestoredFromChannel':
      for (const field of event.data.fields) changes.push(effectiveChange(field, before, after));
      break;
  }
  const { metadata } = event;
  return changes.map((change) => ({
    _id: `${event.id}:${change.field}`,
    workspace: metadata.workspace,
    contactId: event.contactId,
    at: metadata.occurredAt,
    actor: { id: metadata.actor.id, role: metadata.actor.role },
    source: metadata.source,
    ...change,
    eventType: event.type,
    eventId: event.id,
    position: event.position,
  }));
}

function effectiveChange(field: ContactField, before: ContactState, after: ContactState) {
  return { field, from: effectiveValue(before.fields[field]), to: effectiveValue(after.fields[field]) };
}
