import { CONTACT_FIELDS, type Channel, type ContactField } from './contact-fields.js';
import type { ContactEvent } from './contact-events.js';

/** A field's channel value and, once an agent edited it, the edited value (null when cleared). */
export type FieldState = {
  channelValue: string | null;
  edited: { value: string | null } | null;
};

export type ContactState = {
  exists: boolean;
  contactId: string | null;
  workspace: string | null;
  channel: Channel | null;
  channelContactId: string | null;
  fields: Record<ContactField, FieldState>;
  /** Number of events applied: the stream's next revision. */
  version: number;
};

/** The edited value where there is one, else the channel's. */
export function effectiveValue(field: FieldState): string | null {
  return field.edited ? field.edited.value : field.channelValue;
}

export function initialContactState(): ContactState {
  const fields = Object.fromEntries(
    CONTACT_FIELDS.map((field) => [field, { channelValue: null, edited: null }]),
  ) as Record<ContactField, FieldState>;
  return { exists: false, contactId: null, workspace: null, channel: null, channelContactId: null, fields, version: 0 };
}

export function evolveContact(state: ContactState, event: ContactEvent): ContactState {
  const next = { ...state, fields: { ...state.fields }, version: state.version + 1 };
  switch (event.type) {
    case 'ContactRegistered':
      return {
        ...next,
        exists: true,
        contactId: event.data.contactId,
        workspace: event.data.workspace,
        channel: event.data.channel,
        channelContactId: event.data.personal.channelContactId,
      };
    case 'ChannelDataReceived':
      for (const [field, channelValue] of Object.entries(event.data.personal.values) as [ContactField, string | null][]) {
        next.fields[field] = { ...next.fields[field], channelValue };
      }
      return next;
    case 'ContactFieldEdited':
      next.fields[event.data.field] = { ...next.fields[event.data.field], edited: { value: event.data.personal.value } };
      return next;
    case 'ContactFieldCleared':
      next.fields[event.data.field] = { ...next.fields[event.data.field], edited: { value: null } };
      return next;
    case 'ContactRestoredFromChannel':
      for (const field of event.data.fields) next.fields[field] = { ...next.fields[field], edited: null };
      return next;
  }
}
