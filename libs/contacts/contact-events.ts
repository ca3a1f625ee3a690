import { isEventOf, type EventSchemas } from '../eventsourcing/event-schemas.js';
import type { Channel, ChannelField, EditableField } from './contact-fields.js';
import type { ContactBlockingEvent } from './blocking/blocking-events.js';
import type { ContactTaggingEvent } from './tags/tag-events.js';
import type { CustomFieldValueEvent } from './custom-fields/custom-field-events.js';
import type { ContactDeleted } from './deletion/deletion-events.js';
import type { SelfServiceLinkEvent } from './self-service/self-service-events.js';
import { PROFILE_LINK_EVENT_SCHEMA_VERSIONS, type ProfileLinkEvent } from './profile-link.js';

/*
 * The contact's domain events, a public contract (analytics read them). Every personal value
 * lives under `data.personal`, so that storage can encrypt it with the contact's key (and
 * shred it) without new event types. Metadata is added by the application layer.
 */

export type ChannelValues = Partial<Record<ChannelField, string | null>>;

export type ContactRegistered = {
  type: 'ContactRegistered';
  data: { contactId: string; workspace: string; channel: Channel; personal: { channelContactId: string } };
};

/** The channel's values that changed; `null` means the channel no longer provides the field. */
export type ChannelDataReceived = {
  type: 'ChannelDataReceived';
  data: { personal: { values: ChannelValues } };
};

export type ContactFieldEdited = {
  type: 'ContactFieldEdited';
  data: { field: EditableField; personal: { value: string } };
};

/** An agent saved the field empty: the effective value is null whatever the channel says. */
export type ContactFieldCleared = {
  type: 'ContactFieldCleared';
  data: { field: EditableField };
};

export type ContactRestoredFromChannel = {
  type: 'ContactRestoredFromChannel';
  data: { fields: EditableField[] };
};

export type ContactEvent =
  | ContactRegistered
  | ChannelDataReceived
  | ContactFieldEdited
  | ContactFieldCleared
  | ContactRestoredFromChannel
  | ContactTaggingEvent
  | ContactBlockingEvent
  | CustomFieldValueEvent
  | ContactDeleted
  | SelfServiceLinkEvent
  | ProfileLinkEvent;

export type ContactEventType = ContactEvent['type'];

/** Schema version of each event type's `data`; raise one when its shape changes (and add an upcaster from the old one). */
export const CONTACT_EVENT_SCHEMA_VERSIONS: Record<ContactEventType, number> = {
  ContactRegistered: 1,
  ChannelDataReceived: 1,
  ContactFieldEdited: 1,
  ContactFieldCleared: 1,
  ContactRestoredFromChannel: 1,
  TagAssigned: 1,
  TagRemoved: 1,
  ContactBlocked: 1,
  ContactUnblocked: 1,
  CustomFieldValueSet: 1,
  CustomFieldValueCleared: 1,
  ContactDeleted: 1,
  SelfServiceLinkIssued: 1,
  SelfServiceLinkRevoked: 1,
  ...PROFILE_LINK_EVENT_SCHEMA_VERSIONS,
};

/** What the contacts feature publishes about its events; the composition root merges it with the others'. */
export const CONTACT_EVENT_SCHEMAS: EventSchemas<ContactEvent> = { versions: CONTACT_EVENT_SCHEMA_VERSIONS, upcasters: [] };

export const isContactEvent = isEventOf(CONTACT_EVENT_SCHEMAS);
