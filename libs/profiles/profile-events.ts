import { isEventOf, type EventSchemas } from '../eventsourcing/event-schemas.js';
/*
 * The profile's own events, stream `profile-<id>`: a public contract like the contact's. The
 * link between a contact and a profile is not here: `ProfileAttached` and `ProfileDetached`
 * are events of the contact stream (libs/contacts/profile-link.ts), the single source of truth
 * of the link; profile read models project it.
 */

export type ProfileCreated = { type: 'ProfileCreated'; data: { profileId: string; workspace: string; name: string } };
export type ProfileRenamed = { type: 'ProfileRenamed'; data: { name: string } };
export type ProfileNoteAdded = { type: 'ProfileNoteAdded'; data: { noteId: string; text: string } };
export type ProfileNoteEdited = { type: 'ProfileNoteEdited'; data: { noteId: string; text: string } };
export type ProfileNoteDeleted = { type: 'ProfileNoteDeleted'; data: { noteId: string } };
export type ProfileArchived = { type: 'ProfileArchived'; data: Record<string, never> };

export type ProfileEvent = ProfileCreated | ProfileRenamed | ProfileNoteAdded | ProfileNoteEdited | ProfileNoteDeleted | ProfileArchived;

export const PROFILE_EVENT_SCHEMA_VERSIONS: Record<ProfileEvent['type'], number> = {
  ProfileCreated: 1,
  ProfileRenamed: 1,
  ProfileNoteAdded: 1,
  ProfileNoteEdited: 1,
  ProfileNoteDeleted: 1,
  ProfileArchived: 1,
};

/** What the profiles feature publishes about its events; the composition root merges it with the others'. */
export const PROFILE_EVENT_SCHEMAS: EventSchemas<ProfileEvent> = { versions: PROFILE_EVENT_SCHEMA_VERSIONS };

export const isProfileEvent = isEventOf(PROFILE_EVENT_SCHEMAS);

export const PROFILE_STREAM_PREFIX = 'profile-';

export function profileStreamId(profileId: string): string {
  return `${PROFILE_STREAM_PREFIX}${profileId}`;
}

export function isProfileEventType(type: string): type is ProfileEvent['type'] {
  return Object.hasOwn(PROFILE_EVENT_SCHEMA_VERSIONS, type);
}
