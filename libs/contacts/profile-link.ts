import Type from 'typebox';
import { NotFoundError } from '../eventsourcing/domain-errors.js';
import type { EventOf, EventsOf } from '../eventsourcing/event-schemas.js';
import type { ContactState } from './contact-state.js';
import { channelOfExistingContact } from './existing-contact.js';

/*
 * The contact's link to a profile (issue 8). The contact stream is the single source of truth
 * of the link: a contact belongs to at most one profile, and the expected revision of its one
 * stream serialises concurrent attaches. The profile side (its list of contacts) is projected.
 */

/** Attaches the contact to the profile; a contact attached elsewhere moves (detached there first). */
export type AttachToProfile = { type: 'AttachToProfile'; contactId: string; profileId: string };

/** Detaches the contact from the profile it is attached to. */
export type DetachFromProfile = { type: 'DetachFromProfile'; contactId: string; profileId: string };

export type ProfileLinkCommand = AttachToProfile | DetachFromProfile;

const ProfileId = Type.String({ format: 'uuid', description: 'The profile (stream `profile-<id>`)' });
const PROFILE_EXAMPLE = { profileId: '7d9f4a3e-2b1c-4e8f-9a6d-5c4b3a2f1e0d' };

export const PROFILE_LINK_EVENT_DATA = {
  ProfileAttached: Type.Object(
    { profileId: ProfileId },
    { additionalProperties: false, description: 'The contact was attached to the profile (a contact belongs to at most one)', examples: [PROFILE_EXAMPLE] },
  ),
  ProfileDetached: Type.Object(
    { profileId: ProfileId },
    { additionalProperties: false, description: 'The contact left the profile (detached, or moved to another one)', examples: [PROFILE_EXAMPLE] },
  ),
};

export type ProfileAttached = EventOf<typeof PROFILE_LINK_EVENT_DATA, 'ProfileAttached'>;
export type ProfileLinkEvent = EventsOf<typeof PROFILE_LINK_EVENT_DATA>;

export function decideProfileLink(command: ProfileLinkCommand, state: ContactState): ProfileLinkEvent[] {
  channelOfExistingContact(state, command.contactId);
  const { profileId } = command;
  if (command.type === 'AttachToProfile') {
    if (state.profileId === profileId) return [];
    const attached: ProfileAttached = { type: 'ProfileAttached', data: { profileId } };
    return state.profileId ? [{ type: 'ProfileDetached', data: { profileId: state.profileId } }, attached] : [attached];
  }
  if (state.profileId !== profileId) throw new NotFoundError(`Contact ${command.contactId} is not attached to profile ${profileId}`);
  return [{ type: 'ProfileDetached', data: { profileId } }];
}

/** The profile the contact belongs to after the event. */
export function profileIdAfter(event: ProfileLinkEvent): string | null {
  return event.type === 'ProfileAttached' ? event.data.profileId : null;
}
