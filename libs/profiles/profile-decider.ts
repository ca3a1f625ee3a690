import type { Decider } from '../eventsourcing/decider.js';
import { NotFoundError, StateConflictError } from '../eventsourcing/domain-errors.js';
import type { ProfileCommand } from './profile-commands.js';
import { isProfileEvent, type ProfileEvent } from './profile-events.js';
import { checkedNoteText, checkedProfileName } from './profile-rules.js';
import { evolveProfile, initialProfileState, type ProfileState } from './profile-state.js';

export function decideProfile(command: ProfileCommand, state: ProfileState): ProfileEvent[] {
  if (command.type === 'CreateProfile') {
    if (state.exists) throw new StateConflictError(`Profile ${command.profileId} already exists`);
    const { profileId, workspace } = command;
    return [{ type: 'ProfileCreated', data: { profileId, workspace, name: checkedProfileName(command.name) } }];
  }
  if (!state.exists) throw new NotFoundError(`Profile ${command.profileId} not found`);
  if (command.type === 'ArchiveProfile') return state.archived ? [] : [{ type: 'ProfileArchived', data: {} }];
  if (state.archived) throw new StateConflictError(`Profile ${command.profileId} is archived`);

  switch (command.type) {
    case 'RenameProfile': {
      const name = checkedProfileName(command.name);
      return name === state.name ? [] : [{ type: 'ProfileRenamed', data: { name } }];
    }
    case 'AddProfileNote': {
      if (state.notes.has(command.noteId)) return [];
      return [{ type: 'ProfileNoteAdded', data: { noteId: command.noteId, text: checkedNoteText(command.text) } }];
    }
    case 'EditProfileNote': {
      const current = noteOf(state, command.noteId);
      const text = checkedNoteText(command.text);
      return text === current ? [] : [{ type: 'ProfileNoteEdited', data: { noteId: command.noteId, text } }];
    }
    case 'DeleteProfileNote':
      noteOf(state, command.noteId);
      return [{ type: 'ProfileNoteDeleted', data: { noteId: command.noteId } }];
  }
}

function noteOf(state: ProfileState, noteId: string): string {
  const text = state.notes.get(noteId);
  if (text === undefined) throw new NotFoundError(`Note ${noteId} not found`);
  return text;
}

/** The profile aggregate, stream `profile-<id>`. Tenancy and permissions are checked before, by the application. */
export const profileDecider: Decider<ProfileCommand, ProfileState, ProfileEvent> = {
  decide: decideProfile,
  evolve: evolveProfile,
  initialState: initialProfileState,
  isEvent: isProfileEvent,
};
