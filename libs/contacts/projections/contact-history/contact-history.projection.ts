import { channelChangesOf } from '../../channel-data-received.js';
import type { ContactEvent, ContactField } from '../../index.js';
import type { Recorded } from '../../../eventsourcing/domain-event.js';
import { CONTACT_EVENT_TYPES, contactIdOf } from '../contact-events-of.js';
import { documentProjection } from '../../../projections/document-projection.js';
import type { Static } from '../../../http/openapi/schema.js';
import type { ContactHistoryEntrySchema, HistoryValue } from './contact-history-entry.schema.js';
import { customFieldPath } from '../../custom-fields/decide-custom-field-values.js';
import type { ContactView } from '../contact-views/contact-view.js';
import { foldOwnView, givenValue, type OwnContactView } from '../contact-views/own-contact-view.js';

export const CONTACT_HISTORY_COLLECTION = 'contact_history';
export const CONTACT_HISTORY_STATE_COLLECTION = 'contact_history_state';

/** One field change of the audit trail (its schema is the one the API publishes); `_id` is `<eventId>:<field>`, so a redelivered entry is a no-op. */
export type ContactHistoryDocument = { _id: string } & Static<typeof ContactHistoryEntrySchema>;


/** The projection's own fold of a contact, to know the "from" of each change. */
export type ContactHistoryStateDocument = { _id: string; position: number } & OwnContactView;

/**
 * `contact-history`: the audit trail. Edits, clears and restores record the field's effective
 * value before and after; channel data records the channel's value before and after, for the
 * fields whose channel value changed.
 */
export const contactHistoryProjection = documentProjection<ContactEvent, Omit<ContactHistoryStateDocument, '_id' | 'position'>>({
  name: 'contact-history',
  canHandle: CONTACT_EVENT_TYPES,
  collection: CONTACT_HISTORY_STATE_COLLECTION,
  documentId: contactIdOf,
  evolve: (document, event) => ({ view: foldOwnView(document, event) }),
  records: {
    collection: CONTACT_HISTORY_COLLECTION,
    indexes: [
      { workspace: 1, contactId: 1, position: 1, _id: 1 },
      { workspace: 1, 'actor.id': 1, position: 1, _id: 1 },
      { workspace: 1, position: 1, _id: 1 },
    ],
    of: (before, after, event): ContactHistoryDocument[] => historyEntriesOf(event, before?.view ?? null, after.view),
  },
  // A deleted contact's trail keeps who, when, which field and event type; the values go.
  // (Its own fold, past `ContactDeleted`, is null: it holds no personal value any more.)
  sweep: async (event, { records }) => {
    if (event.type !== 'ContactDeleted') return;
    // The workspace first: the trail's index on (workspace, contactId, position) finds the entries.
    await records!.updateMany({ workspace: event.metadata.workspace, contactId: contactIdOf(event), position: { $lt: event.position } }, { $set: { from: null, to: null, erased: true } });
  },
  shredsAfter: ['ContactDeleted'],
});

function historyEntriesOf(event: Recorded<ContactEvent>, before: ContactView | null, after: ContactView | null): ContactHistoryDocument[] {
  const changes: Array<{ field: string; from: HistoryValue; to: HistoryValue }> = [];
  switch (event.type) {
    case 'ContactRegistered':
      break;
    case 'ChannelDataReceived':
      for (const [field] of channelChangesOf(event.data)) {
        const from = before?.fields[field].channelValue ?? null;
        const to = after?.fields[field].channelValue ?? null;
        // Erased values all read as null: the change happened, which field it was is kept.
        if (from !== to || event.metadata.personalDataErased) changes.push({ field, from, to });
      }
      break;
    case 'ContactFieldEdited':
    case 'ContactFieldCleared':
      changes.push(effectiveChange(event.data.field, before, after));
      break;
    case 'ContactRestoredFromChannel':
      for (const field of event.data.fields) changes.push(effectiveChange(field, before, after));
      break;
    case 'TagAssigned':
      changes.push({ field: 'tags', from: null, to: event.data.tag });
      break;
    case 'TagRemoved':
      changes.push({ field: 'tags', from: event.data.tag, to: null });
      break;
    case 'ContactBlocked':
    case 'ContactUnblocked':
      changes.push({ field: 'blocked', from: before?.blocked ?? false, to: after?.blocked ?? false });
      break;
    case 'CustomFieldValueSet':
    case 'CustomFieldValueCleared': {
      const { name } = event.data;
      changes.push({ field: customFieldPath(name), from: before?.customFields[name] ?? null, to: after?.customFields[name] ?? null });
      break;
    }
    case 'ContactDeleted':
      changes.push({ field: 'contact', from: null, to: null });
      break;
    case 'ProfileAttached':
    case 'ProfileDetached':
      changes.push({ field: 'profileId', from: before?.profileId ?? null, to: after?.profileId ?? null });
      break;
  }
  const { metadata } = event;
  const erased = metadata.personalDataErased ? { erased: true as const } : {};
  return changes.map((change) => ({
    ...erased,
    _id: `${event.id}:${change.field}`,
    workspace: metadata.workspace,
    contactId: contactIdOf(event),
    at: metadata.occurredAt,
    actor: { id: metadata.actor.id, role: metadata.actor.role },
    source: metadata.source,
    ...change,
    eventType: event.type,
    eventId: event.id,
    position: event.position,
  }));
}

function effectiveChange(field: ContactField, before: ContactView | null, after: ContactView | null) {
  return { field, from: givenValue(before, field), to: givenValue(after, field) };
}
