import { IsoTime, MapOf, Nullable, Type } from '../../../http/openapi/schema.js';
import { CHANNELS, CONTACT_FIELDS } from '../../contact-fields.js';
import { CustomFieldValueSchema } from '../../custom-fields/custom-field-events.js';

/** The shape of the contact view (API.md): the type of the view derives from it, and OpenAPI publishes it. */

export const ContactFieldViewSchema = Type.Object(
  {
    value: Nullable(Type.String(), { description: "The effective value: the edited one where there is one, else the channel's (or derived, see `derived`)" }),
    channelValue: Nullable(Type.String(), { description: 'What the channel last reported' }),
    edited: Type.Boolean({ description: 'An agent or the customer set the value (also when cleared)' }),
    editedBy: Type.Optional(Type.String({ description: 'Who edited it (actor id); only when edited' })),
    editedAt: Type.Optional(IsoTime({ description: 'When it was edited; only when edited' })),
    locked: Type.Boolean({ description: "The channel's identifier (WhatsApp/Viber phone, E-mail e-mail) and the avatar: agents may not edit it" }),
    derived: Type.Optional(
      Type.Literal(true, { description: 'The value was derived, not given: `country` from the calling code of the phone, when neither the channel nor anyone gave one' }),
    ),
  },
  { $id: 'ContactFieldView' },
);

export const ChannelSchema = Type.Enum(CHANNELS, { $id: 'Channel', type: 'string', description: 'The channel the contact came from' });

export const ContactViewSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    workspace: Type.String(),
    channel: ChannelSchema,
    channelContactId: Nullable(Type.String(), { description: "The channel's own id of the contact; null in a past view (`asOf`) of a deleted contact, whose personal values are erased" }),
    fields: Type.Record(Type.Enum(CONTACT_FIELDS), ContactFieldViewSchema, {
      description: 'Every field of the contact, set or not',
    }),
    tags: Type.Array(Type.String()),
    customFields: MapOf(Nullable(CustomFieldValueSchema), { description: 'Current values of the workspace-defined custom fields, by name: a number, a string (text, word, single choice, date, time), an array of strings (multiple choice) or a location; null in a past view of a deleted contact (erased)' }),
    profileId: Nullable(Type.String(), { description: 'The profile the contact is attached to' }),
    blocked: Type.Boolean(),
    version: Type.Integer({ minimum: 1, description: "Number of events of the contact's stream (send as `If-Match`)" }),
    updatedAt: IsoTime({ description: 'When the last event occurred' }),
  },
  {
    $id: 'ContactView',
    examples: [
      {
        id: '3f8c2a54-1b7e-5c1d-9a0e-6f4b8d2c7e11',
        workspace: 'acme',
        channel: 'whatsapp',
        channelContactId: '+15551234567',
        fields: {
          name: { value: 'Ann Lee', channelValue: 'ann', edited: true, editedBy: 'agent-7', editedAt: '2026-11-22T10:00:00.000Z', locked: false },
          phone: { value: '+15551234567', channelValue: '+15551234567', edited: false, locked: true },
          email: { value: null, channelValue: null, edited: false, locked: false },
          country: { value: 'US', channelValue: null, edited: false, locked: false, derived: true },
          language: { value: null, channelValue: null, edited: false, locked: false },
          avatarUrl: { value: null, channelValue: null, edited: false, locked: true },
        },
        tags: ['vip'],
        customFields: {},
        profileId: null,
        blocked: false,
        version: 3,
        updatedAt: '2026-11-22T10:00:00.000Z',
      },
    ],
  },
);
