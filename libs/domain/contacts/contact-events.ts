import type { Channel, ChannelField, EditableField } from './contact-fields.js';

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
  | ContactRestoredFromChannel;

export type ContactEventType = ContactEvent['type'];

/** Schema version of each event type's `data`; raise one when its shape changes (and upcast old ones). */
export const CONTACT_EVENT_SCHEMA_VERSIONS: Record<ContactEventType, number> = {
  ContactRegistered: 1,
  ChannelDataReceived: 1,
  ContactFieldEdited: 1,
  ContactFieldCleared: 1,
  ContactRestoredFromChannel: 1,
};
