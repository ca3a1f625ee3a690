import Type from 'typebox';
import { eventSchemasOf, isEventOf, NoData, type EventsOf } from '../eventsourcing/event-schemas.js';
/*
 * The profile's own events, stream `profile-<id>`: a public contract like the contact's. The
 * link between a contact and a profile is not here: `ProfileAttached` and `ProfileDetached`
 * are events of the contact stream (libs/contacts/profile-link.ts), the single source of truth
 * of the link; profile read models project it.
 */

const Name = Type.String({ minLength: 1, description: "The profile's name (the person's)" });
const NoteId = Type.String({ description: 'The note, unique in the profile' });
const NoteText = Type.String({ minLength: 1, description: 'The note' });
const NOTE_ID = '3b7c9e1f-8a2d-4c6b-9f0e-1d2c3b4a5e6f';

const PROFILE_EVENT_DATA = {
  ProfileCreated: Type.Object(
    { profileId: Type.String({ format: 'uuid', description: 'The profile (stream `profile-<id>`)' }), workspace: Type.String({ description: 'The workspace the profile belongs to' }), name: Name },
    {
      additionalProperties: false,
      description: "A profile was created: one person across the contacts of several channels",
      examples: [{ profileId: '7d9f4a3e-2b1c-4e8f-9a6d-5c4b3a2f1e0d', workspace: 'acme', name: 'Ann Lee' }],
    },
  ),
  ProfileRenamed: Type.Object({ name: Name }, { additionalProperties: false, description: 'The profile got another name', examples: [{ name: 'Ann Lee-Smith' }] }),
  ProfileNoteAdded: Type.Object(
    { noteId: NoteId, text: NoteText },
    { additionalProperties: false, description: 'An agent wrote a note on the profile', examples: [{ noteId: NOTE_ID, text: 'Prefers e-mail after 6 pm' }] },
  ),
  ProfileNoteEdited: Type.Object(
    { noteId: NoteId, text: NoteText },
    { additionalProperties: false, description: "The note's text changed", examples: [{ noteId: NOTE_ID, text: 'Prefers e-mail after 7 pm' }] },
  ),
  ProfileNoteDeleted: Type.Object({ noteId: NoteId }, { additionalProperties: false, description: 'The note was deleted', examples: [{ noteId: NOTE_ID }] }),
  ProfileArchived: NoData('The profile was archived'),
};

export type ProfileEvent = EventsOf<typeof PROFILE_EVENT_DATA>;

/** What the profiles feature publishes about its events; the composition root merges it with the others'. */
export const PROFILE_EVENT_SCHEMAS = eventSchemasOf(PROFILE_EVENT_DATA);

export const isProfileEvent = isEventOf(PROFILE_EVENT_SCHEMAS);

export const PROFILE_STREAM_PREFIX = 'profile-';

export function profileStreamId(profileId: string): string {
  return `${PROFILE_STREAM_PREFIX}${profileId}`;
}

export function isProfileEventType(type: string): type is ProfileEvent['type'] {
  return Object.hasOwn(PROFILE_EVENT_SCHEMAS.versions, type);
}
