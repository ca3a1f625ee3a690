import { channelChangesOf } from '../../channel-data-received.js';
import type { WithMetadata } from '../../../eventsourcing/domain-event.js';
import type { EventMetadata } from '../../../eventsourcing/event-metadata.js';
import type { Static } from '../../../http/openapi/schema.js';
import { CONTACT_FIELDS, isLocked, type Channel, type ContactField } from '../../contact-fields.js';
import type { ContactEvent } from '../../contact-events.js';
import { effectiveValue, type ContactState } from '../../contact-state.js';
import { profileIdAfter } from '../../profile-link.js';
import type { ContactFieldViewSchema, ContactViewSchema } from './contact-view.schema.js';
import { withDerivedCountry } from './derived-country.js';

/** One field of the contact view; `editedBy` and `editedAt` only when edited. */
export type ContactFieldView = Static<typeof ContactFieldViewSchema>;

/** The contact view (API.md); its schema is the one OpenAPI publishes. */
export type ContactView = Static<typeof ContactViewSchema>;

/** A contact event as the views fold it: with its metadata and its revision in the stream. */
export type RecordedContactEvent = WithMetadata<ContactEvent> & { revision: number };

/**
 * Folds one recorded event into the view. Deterministic (all it uses is in the event), so
 * the projection and `?asOf=` time travel give the same view for the same events.
 */
export function applyToContactView(view: ContactView | null, event: RecordedContactEvent): ContactView {
  const touched = { version: event.revision + 1, updatedAt: event.metadata.occurredAt };
  if (event.type === 'ContactRegistered') {
    const { contactId, workspace, channel, personal } = event.data;
    return {
      id: contactId,
      workspace,
      channel,
      channelContactId: personal.channelContactId,
      fields: emptyFields(channel),
      tags: [],
      customFields: {},
      profileId: null,
      blocked: false,
      ...touched,
    };
  }
  if (view === null) throw new Error(`A contact view starts with ContactRegistered, not ${event.type}`);

  if (event.type === 'ProfileAttached' || event.type === 'ProfileDetached') return { ...view, profileId: profileIdAfter(event), ...touched };
  // Views stored before a field existed get it empty on their next event.
  const fields = { ...emptyFields(view.channel), ...view.fields };
  switch (event.type) {
    case 'ChannelDataReceived':
      for (const [field, channelValue] of channelChangesOf(event.data)) {
        const current = fields[field];
        fields[field] = { ...current, channelValue, value: current.edited ? current.value : channelValue };
      }
      break;
    case 'ContactFieldEdited':
      fields[event.data.field] = editedField(fields[event.data.field], event.data.personal.value, event.metadata);
      break;
    case 'ContactFieldCleared':
      fields[event.data.field] = editedField(fields[event.data.field], null, event.metadata);
      break;
    case 'ContactRestoredFromChannel':
      for (const field of event.data.fields) {
        const { channelValue, locked } = fields[field];
        fields[field] = { value: channelValue, channelValue, edited: false, locked };
      }
      break;
    case 'TagAssigned':
      return { ...view, tags: [...view.tags, event.data.tag], ...touched };
    case 'TagRemoved':
      return { ...view, tags: view.tags.filter((tag) => tag !== event.data.tag), ...touched };
    case 'ContactBlocked':
    case 'ContactUnblocked':
      return { ...view, blocked: event.type === 'ContactBlocked', ...touched };
    case 'CustomFieldValueSet':
      return { ...view, customFields: { ...view.customFields, [event.data.name]: event.data.personal.value }, ...touched };
    case 'CustomFieldValueCleared': {
      const { [event.data.name]: _, ...customFields } = view.customFields;
      return { ...view, customFields, ...touched };
    }
  }
  return { ...view, fields: withDerivedCountry(fields), ...touched };
}

/** The view after the given events, oldest first; null before the contact is registered. */
export function contactViewFrom(events: Iterable<RecordedContactEvent>): ContactView | null {
  let view: ContactView | null = null;
  for (const event of events) view = event.type === 'ContactDeleted' ? null : applyToContactView(view, event);
  return view;
}

/**
 * The view of the write model's state: what a write answers. It shows what the projection's
 * `applyToContactView` shows for the same events (contact-view.spec.ts checks they agree).
 */
export function contactViewOf(state: ContactState): ContactView {
  const { contactId, workspace, channel, channelContactId, updatedAt } = state;
  // channelContactId is null in a past view of a deleted contact (its personal values are erased).
  if (!state.exists || !contactId || !workspace || !channel || !updatedAt) {
    throw new Error('a contact view needs a registered contact');
  }
  const fields = Object.fromEntries(
    CONTACT_FIELDS.map((field): [ContactField, ContactFieldView] => {
      const { channelValue, edited } = state.fields[field];
      const locked = isLocked(channel, field);
      const value = effectiveValue(state.fields[field]);
      return [field, edited ? { value, channelValue, edited: true, editedBy: edited.by, editedAt: edited.at, locked } : { value, channelValue, edited: false, locked }];
    }),
  ) as ContactView['fields'];
  return {
    id: contactId,
    workspace,
    channel,
    channelContactId,
    fields: withDerivedCountry(fields),
    tags: state.tags,
    customFields: Object.fromEntries(Object.entries(state.customFields).map(([name, { value }]) => [name, value])),
    profileId: state.profileId,
    blocked: state.blocked,
    version: state.version,
    updatedAt,
  };
}

function emptyFields(channel: Channel): ContactView['fields'] {
  return Object.fromEntries(
    CONTACT_FIELDS.map((field) => [field, { value: null, channelValue: null, edited: false, locked: isLocked(channel, field) }]),
  ) as ContactView['fields'];
}

function editedField(current: ContactFieldView, value: string | null, metadata: EventMetadata): ContactFieldView {
  return {
    value,
    channelValue: current.channelValue,
    edited: true,
    editedBy: metadata.actor.id,
    editedAt: metadata.occurredAt,
    locked: current.locked,
  };
}
