import { channelChangesOf } from './channel-data-received.js';
import { CONTACT_FIELDS, type Channel, type ContactField } from './contact-fields.js';
import type { WithMetadata } from '../eventsourcing/domain-event.js';
import type { ContactEvent } from './contact-events.js';
import { profileIdAfter } from './profile-link.js';
import type { CustomFieldType } from '../workspace/custom-field-definitions.js';
import type { CustomFieldValue } from './custom-fields/custom-field-values.js';

/** A field's channel value and, once edited, the edited value (null when cleared), by whom and when. */
export type FieldState = {
  channelValue: string | null;
  edited: { value: string | null; by: string; at: string } | null;
};

export type ContactState = {
  exists: boolean;
  /** Erased: the stream is closed for good (`exists` is false again, nothing personal is kept). */
  deleted: boolean;
  contactId: string | null;
  workspace: string | null;
  channel: Channel | null;
  channelContactId: string | null;
  fields: Record<ContactField, FieldState>;
  /** The contact's tags in the workspace's spelling, in the order they were assigned. */
  tags: string[];
  blocked: boolean;
  /** The customer's self-service links by id (the hash of their secret). */
  selfServiceLinks: Record<string, { expiresAt: string; revoked: boolean }>;
  /** Current custom-field values by name, with the field's type when set. */
  customFields: Record<string, { type: CustomFieldType; value: CustomFieldValue }>;
  /** The profile the contact is attached to. */
  profileId: string | null;
  /** Number of events applied: the stream's next revision. */
  version: number;
  /** When the last event occurred. */
  updatedAt: string | null;
};

/** The edited value where there is one, else the channel's. */
export function effectiveValue(field: FieldState): string | null {
  return field.edited ? field.edited.value : field.channelValue;
}

export function initialContactState(): ContactState {
  const fields = Object.fromEntries(
    CONTACT_FIELDS.map((field) => [field, { channelValue: null, edited: null }]),
  ) as Record<ContactField, FieldState>;
  return { exists: false, deleted: false, contactId: null, workspace: null, channel: null, channelContactId: null, fields, tags: [], blocked: false, selfServiceLinks: {}, customFields: {}, profileId: null, version: 0, updatedAt: null };
}

export function evolveContact(state: ContactState, event: WithMetadata<ContactEvent>): ContactState {
  const { actor, occurredAt } = event.metadata;
  const next = { ...state, fields: { ...state.fields }, version: state.version + 1, updatedAt: occurredAt };
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
      for (const [field, channelValue] of channelChangesOf(event.data)) {
        next.fields[field] = { ...next.fields[field], channelValue };
      }
      return next;
    case 'ContactFieldEdited':
      next.fields[event.data.field] = { ...next.fields[event.data.field], edited: { value: event.data.personal.value, by: actor.id, at: occurredAt } };
      return next;
    case 'ContactFieldCleared':
      next.fields[event.data.field] = { ...next.fields[event.data.field], edited: { value: null, by: actor.id, at: occurredAt } };
      return next;
    case 'ContactRestoredFromChannel':
      for (const field of event.data.fields) next.fields[field] = { ...next.fields[field], edited: null };
      return next;
    case 'TagAssigned':
      return { ...next, tags: [...state.tags, event.data.tag] };
    case 'TagRemoved':
      return { ...next, tags: state.tags.filter((tag) => tag !== event.data.tag) };
    case 'ContactBlocked':
      return { ...next, blocked: true };
    case 'ContactUnblocked':
      return { ...next, blocked: false };
    case 'CustomFieldValueSet':
      return { ...next, customFields: { ...state.customFields, [event.data.name]: { type: event.data.fieldType, value: event.data.personal.value } } };
    case 'CustomFieldValueCleared': {
      const { [event.data.name]: _, ...rest } = state.customFields;
      return { ...next, customFields: rest };
    }
    case 'SelfServiceLinkIssued':
      return { ...next, selfServiceLinks: { ...state.selfServiceLinks, [event.data.linkId]: { expiresAt: event.data.expiresAt, revoked: false } } };
    case 'SelfServiceLinkRevoked': {
      const link = state.selfServiceLinks[event.data.linkId];
      return link ? { ...next, selfServiceLinks: { ...state.selfServiceLinks, [event.data.linkId]: { ...link, revoked: true } } } : next;
    }
    case 'ContactDeleted':
      return { ...initialContactState(), deleted: true, contactId: state.contactId, workspace: state.workspace, version: next.version, updatedAt: next.updatedAt };
    case 'ProfileAttached':
    case 'ProfileDetached':
      return { ...next, profileId: profileIdAfter(event) };
  }
}
