import type { WithMetadata } from '../eventsourcing/domain-event.js';
import type { ProfileEvent } from './profile-events.js';

/** What the profile decider needs to decide: existence, tenancy, name, archive flag, live notes. */
export type ProfileState = {
  exists: boolean;
  workspace: string | null;
  name: string | null;
  archived: boolean;
  /** Text of each note that is not deleted, by note id. */
  notes: ReadonlyMap<string, string>;
};

export function initialProfileState(): ProfileState {
  return { exists: false, workspace: null, name: null, archived: false, notes: new Map() };
}

export function evolveProfile(state: ProfileState, event: WithMetadata<ProfileEvent>): ProfileState {
  switch (event.type) {
    case 'ProfileCreated':
      return { ...state, exists: true, workspace: event.data.workspace, name: event.data.name };
    case 'ProfileRenamed':
      return { ...state, name: event.data.name };
    case 'ProfileNoteAdded':
    case 'ProfileNoteEdited':
      return { ...state, notes: new Map(state.notes).set(event.data.noteId, event.data.text) };
    case 'ProfileNoteDeleted': {
      const notes = new Map(state.notes);
      notes.delete(event.data.noteId);
      return { ...state, notes };
    }
    case 'ProfileArchived':
      return { ...state, archived: true };
  }
}
