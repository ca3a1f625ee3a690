import { IsoTime, Nullable, Type } from '../http/openapi/schema.js';
import { WRITE_ANSWER_PROPERTIES } from '../http/openapi/write-answer.js';
import { ActorSchema, SourceSchema } from '../eventsourcing/event-metadata.schema.js';
import { ContactViewSchema } from '../contacts/index.js';

/** The shapes profiles are read and written in: the types of the profile read side derive from them, and OpenAPI publishes them. */

export const ProfileNoteSchema = Type.Object(
  {
    id: Type.String(),
    text: Type.String({ description: '1 to 5,000 characters' }),
    author: Type.String({ description: 'Actor id of who wrote it' }),
    at: IsoTime({ description: 'When it was written' }),
    editedAt: Type.Optional(IsoTime({ description: 'When it was last edited' })),
  },
  { $id: 'ProfileNote' },
);

export const ProfileViewSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    contacts: Type.Array(ContactViewSchema, { description: 'The view of each attached contact, as `GET /v1/contacts/{id}` gives it' }),
    notes: Type.Array(ProfileNoteSchema),
    archived: Type.Boolean({ description: 'Archived profiles keep their contacts and history, leave search, and take no new contacts, notes or names' }),
    formerContactIds: Type.Array(Type.String(), { description: 'Contacts attached once and detached since' }),
    version: Type.Integer({ minimum: 1, description: "The profile stream's version: what `If-Match` takes" }),
    createdAt: IsoTime(),
    updatedAt: IsoTime(),
  },
  { $id: 'ProfileView' },
);

export const ProfilePageSchema = Type.Object(
  { items: Type.Array(ProfileViewSchema), nextCursor: Nullable(Type.String(), { description: 'Send as `?cursor=` for the next page; null on the last page' }) },
  { $id: 'ProfilePage' },
);

export const TimelineItemSchema = Type.Object(
  {
    at: IsoTime(),
    contactId: Type.Optional(Type.String({ description: 'Absent for events of the profile itself' })),
    channel: Type.Optional(Type.String({ description: "The contact's channel" })),
    eventType: Type.String(),
    actor: ActorSchema,
    source: SourceSchema,
    summary: Type.String({ description: 'One line for humans; never a personal value of a contact' }),
    eventId: Type.String(),
    position: Type.Integer({ minimum: 1 }),
  },
  { $id: 'TimelineItem' },
);

export const TimelinePageSchema = Type.Object(
  { items: Type.Array(TimelineItemSchema), nextCursor: Nullable(Type.String(), { description: 'Send as `?cursor=` for the next (older) page; null on the last page' }) },
  { $id: 'TimelinePage' },
);

export const ProfileWrittenSchema = Type.Object({ profileId: Type.String({ format: 'uuid' }), ...WRITE_ANSWER_PROPERTIES }, { $id: 'ProfileWritten' });

export const ProfileLinkWrittenSchema = Type.Object(
  {
    ...ProfileWrittenSchema.properties,
    contactId: Type.String(),
    contactVersion: Type.Integer({ minimum: 1, description: "The contact stream's version: the link is written there" }),
  },
  { $id: 'ProfileLinkWritten' },
);

export const ProfileNoteWrittenSchema = Type.Object({ ...ProfileWrittenSchema.properties, noteId: Type.String() }, { $id: 'ProfileNoteWritten' });

export const MatchReasonSchema = Type.Object(
  { rule: Type.Union([Type.Literal('phone'), Type.Literal('email')]), value: Type.String({ description: 'The shared phone (E.164) or e-mail address' }) },
  { $id: 'MatchReason' },
);

export const MergeSuggestionSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    contactIds: Type.Array(Type.String(), { minItems: 2, maxItems: 2 }),
    reason: Type.String({ description: 'Why, for humans', examples: ['same phone number +15551234567'] }),
    reasons: Type.Array(MatchReasonSchema),
  },
  { $id: 'MergeSuggestion' },
);

export const MergeSuggestionPageSchema = Type.Object(
  { items: Type.Array(MergeSuggestionSchema), nextCursor: Nullable(Type.String(), { description: 'Send as `?cursor=` for the next page; null on the last page' }) },
  { $id: 'MergeSuggestionPage' },
);

export const MergeSuggestionAcceptedSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    profileId: Type.String({ format: 'uuid', description: 'The profile both contacts are now attached to' }),
    position: WRITE_ANSWER_PROPERTIES.position,
  },
  { $id: 'MergeSuggestionAccepted' },
);

export const MergeSuggestionDismissedSchema = Type.Object(
  { id: Type.String({ format: 'uuid' }), ...WRITE_ANSWER_PROPERTIES },
  { $id: 'MergeSuggestionDismissed', description: "`version` is that of the suggestion's decision stream" },
);
