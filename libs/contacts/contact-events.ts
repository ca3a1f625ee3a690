import Type from 'typebox';
import { eventSchemasOf, isEventOf, Personal, type EventsOf } from '../eventsourcing/event-schemas.js';
import { CHANNELS, EDITABLE_FIELDS } from './contact-fields.js';
import { ChannelDataReceivedSchema, WITHDRAWN_APART } from './channel-data-received.js';
import { BLOCKING_EVENT_DATA } from './blocking/blocking-events.js';
import { TAG_EVENT_DATA } from './tags/tag-events.js';
import { CUSTOM_FIELD_VALUE_EVENT_DATA } from './custom-fields/custom-field-events.js';
import { DELETION_EVENT_DATA } from './deletion/deletion-events.js';
import { SELF_SERVICE_EVENT_DATA } from './self-service/self-service-events.js';
import { PROFILE_LINK_EVENT_DATA } from './profile-link.js';

/*
 * The contact's domain events, a public contract (analytics read them). Every personal value
 * lives under `data.personal`, so that storage can encrypt it with the contact's key (and
 * shred it) without new event types. Metadata is added by the application layer.
 */

export type { ChannelValues } from './channel-data-received.js';

const EditableFieldSchema = Type.Enum(EDITABLE_FIELDS, { type: 'string', description: 'The contact field' });

const CONTACT_OWN_EVENT_DATA = {
  ContactRegistered: Type.Object(
    {
      contactId: Type.String({ format: 'uuid', description: 'UUIDv5 of (workspace, channel, channel contact id)' }),
      workspace: Type.String({ description: 'The workspace the contact belongs to' }),
      channel: Type.Enum(CHANNELS, { type: 'string', description: 'The channel the contact wrote in on' }),
      personal: Personal({ channelContactId: Type.String({ description: "The contact's id on the channel" }) }),
    },
    {
      additionalProperties: false,
      description: 'A channel reported the contact for the first time',
      examples: [{ contactId: '0f8e2c1a-5b7d-5e3f-9a1c-2d4e6f8a0b1c', workspace: 'acme', channel: 'whatsapp', personal: { channelContactId: '15551234567' } }],
    },
  ),
  ChannelDataReceived: ChannelDataReceivedSchema,
  ContactFieldEdited: Type.Object(
    { field: EditableFieldSchema, personal: Personal({ value: Type.String({ minLength: 1, description: 'The new value' }) }) },
    {
      additionalProperties: false,
      description: "Someone (agent, manager, owner, the customer) set the field's value; it wins over the channel's from then on",
      examples: [{ field: 'name', personal: { value: 'Ann Lee' } }],
    },
  ),
  ContactFieldCleared: Type.Object(
    { field: EditableFieldSchema },
    {
      additionalProperties: false,
      description: 'Someone saved the field empty: its value is null whatever the channel says',
      examples: [{ field: 'email' }],
    },
  ),
  ContactRestoredFromChannel: Type.Object(
    { fields: Type.Array(EditableFieldSchema, { minItems: 1 }) },
    {
      additionalProperties: false,
      description: "The edits of these fields were dropped: their values are the channel's again",
      examples: [{ fields: ['name', 'email'] }],
    },
  ),
};

/** The `data` schema of every contact event type, in its current version. */
const CONTACT_EVENT_DATA = {
  ...CONTACT_OWN_EVENT_DATA,
  ...TAG_EVENT_DATA,
  ...BLOCKING_EVENT_DATA,
  ...CUSTOM_FIELD_VALUE_EVENT_DATA,
  ...DELETION_EVENT_DATA,
  ...SELF_SERVICE_EVENT_DATA,
  ...PROFILE_LINK_EVENT_DATA,
};

export type ContactEvent = EventsOf<typeof CONTACT_EVENT_DATA>;
export type ContactEventType = ContactEvent['type'];

/** What the contacts feature publishes about its events; the composition root merges it with the others'. */
export const CONTACT_EVENT_SCHEMAS = eventSchemasOf(CONTACT_EVENT_DATA, [WITHDRAWN_APART]);

/** Schema version of each event type's `data`: a type's version rises with each upcaster from an older one. */
export const CONTACT_EVENT_SCHEMA_VERSIONS = CONTACT_EVENT_SCHEMAS.versions;

export const isContactEvent = isEventOf(CONTACT_EVENT_SCHEMAS);
