import type { EventMetadata } from '../../shared-kernel/event-metadata.js';
import { CONTACT_FIELDS, isLocked, type Channel, type ContactField } from './contact-fields.js';
import type { ContactEvent } from './contact-events.js';

/** One field of the contact view (API.md); `editedBy` and `editedAt` only when edited. */
export type ContactFieldView = {
  value: string | null;
  channelValue: string | null;
  edited: boolean;
  editedBy?: string;
  editedAt?: string;
  locked: boolean;
};

export type ContactView = {
  id: string;
  workspace: string;
  channel: Channel;
  channelContactId: string;
  fields: Record<ContactField, ContactFieldView>;
  tags: string[];
  customFields: Record<string, unknown>;
  profileId: string | null;
  blocked: boolean;
  /** Number of events of the contact's stream. */
  version: number;
  /** When the last event occurred. */
  updatedAt: string;
};

/** A contact event as the log recorded it: with its metadata and its revision in the stream. */
export type RecordedContactEvent = ContactEvent & { metadata: EventMetadata; revision: number };

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
      fields: Object.fromEntries(CONTACT_FIELDS.map((field) => [field, emptyField(channel, field)])) as ContactView['fields'],
      tags: [],
      customFields: {},
      profileId: null,
      blocked: false,
      ...touched,
    };
  }
  if (view === null) throw new Error(`A contact view starts with ContactRegistered, not ${event.type}`);

  const fields = { ...view.fields };
  switch (event.type) {
    case 'ChannelDataReceived':
      for (const [field, channelValue] of Object.entries(event.data.personal.values) as [ContactField, string | null][]) {
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
  }
  return { ...view, fields, ...touched };
}

/** The view after the given events, oldest first; null before the contact is registered. */
export function contactViewFrom(events: Iterable<RecordedContactEvent>): ContactView | null {
  let view: ContactView | null = null;
  for (const event of events) view = applyToContactView(view, event);
  return view;
}

function emptyField(channel: Channel, field: ContactField): ContactFieldView {
  return { value: null, channelValue: null, edited: false, locked: isLocked(channel, field) };
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
