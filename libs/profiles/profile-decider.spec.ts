import { InvalidValuesError, NotFoundError, StateConflictError } from '../eventsourcing/domain-errors.js';
import { DeciderSpecification } from '../eventsourcing/testing/decider-spec.js';
import type { ProfileEvent } from './profile-events.js';
import { profileDecider } from './profile-decider.js';

const spec = DeciderSpecification.for(profileDecider);
const P = 'p-1';
const created: ProfileEvent = { type: 'ProfileCreated', data: { profileId: P, workspace: 'acme', name: 'Ann Lee' } };
const noteAdded: ProfileEvent = { type: 'ProfileNoteAdded', data: { noteId: 'n-1', text: 'Prefers e-mail' } };
const archived: ProfileEvent = { type: 'ProfileArchived', data: {} };

describe('the profile decider', () => {
  describe('create', () => {
    it('given nothing, when created by name, then ProfileCreated with the trimmed name', () => {
      spec.given([]).when({ type: 'CreateProfile', profileId: P, workspace: 'acme', name: '  Ann Lee ' }).then([created]);
    });

    it.each(['', ' ', 'A', '1234', '!!'])('refuses the name %j with a per-field tip', (name) => {
      spec
        .given([])
        .when({ type: 'CreateProfile', profileId: P, workspace: 'acme', name })
        .thenThrows(InvalidValuesError, (e) => e.errors[0]!.field === 'name');
    });

    it('refuses to create a profile twice', () => {
      spec.given([created]).when({ type: 'CreateProfile', profileId: P, workspace: 'acme', name: 'Ann' }).thenThrows(StateConflictError);
    });
  });

  describe('rename', () => {
    it('renames', () => {
      spec.given([created]).when({ type: 'RenameProfile', profileId: P, name: 'Ann B. Lee' }).then([{ type: 'ProfileRenamed', data: { name: 'Ann B. Lee' } }]);
    });

    it('writes nothing when the name is the same', () => {
      spec.given([created]).when({ type: 'RenameProfile', profileId: P, name: ' Ann Lee' }).thenNothing();
    });

    it('refuses an unknown profile with NotFound', () => {
      spec.given([]).when({ type: 'RenameProfile', profileId: P, name: 'Ann' }).thenThrows(NotFoundError);
    });
  });

  describe('notes', () => {
    it('adds a note', () => {
      spec.given([created]).when({ type: 'AddProfileNote', profileId: P, noteId: 'n-1', text: ' Prefers e-mail\n' }).then([noteAdded]);
    });

    it('adding the same note id again writes nothing (an idempotent retry)', () => {
      spec.given([created, noteAdded]).when({ type: 'AddProfileNote', profileId: P, noteId: 'n-1', text: 'Prefers e-mail' }).thenNothing();
    });

    it.each([
      ['empty', ''],
      ['only spaces', '  \n '],
      ['over 5,000 characters', 'x'.repeat(5_001)],
    ])('refuses a note that is %s', (_, text) => {
      spec.given([created]).when({ type: 'AddProfileNote', profileId: P, noteId: 'n-2', text }).thenThrows(InvalidValuesError, (e) => e.errors[0]!.field === 'text');
    });

    it('accepts exactly 5,000 characters', () => {
      const text = 'y'.repeat(5_000);
      spec.given([created]).when({ type: 'AddProfileNote', profileId: P, noteId: 'n-2', text }).then([{ type: 'ProfileNoteAdded', data: { noteId: 'n-2', text } }]);
    });

    it('edits a note, and an edit that changes nothing writes nothing', () => {
      spec
        .given([created, noteAdded])
        .when({ type: 'EditProfileNote', profileId: P, noteId: 'n-1', text: 'Prefers phone' })
        .then([{ type: 'ProfileNoteEdited', data: { noteId: 'n-1', text: 'Prefers phone' } }]);
      spec.given([created, noteAdded]).when({ type: 'EditProfileNote', profileId: P, noteId: 'n-1', text: 'Prefers e-mail' }).thenNothing();
    });

    it('deletes a note; an unknown or deleted note is NotFound', () => {
      const deleted: ProfileEvent = { type: 'ProfileNoteDeleted', data: { noteId: 'n-1' } };
      spec.given([created, noteAdded]).when({ type: 'DeleteProfileNote', profileId: P, noteId: 'n-1' }).then([deleted]);
      spec.given([created, noteAdded, deleted]).when({ type: 'DeleteProfileNote', profileId: P, noteId: 'n-1' }).thenThrows(NotFoundError);
      spec.given([created, noteAdded, deleted]).when({ type: 'EditProfileNote', profileId: P, noteId: 'n-1', text: 'x' }).thenThrows(NotFoundError);
    });
  });

  describe('archive', () => {
    it('archives once; archiving again writes nothing', () => {
      spec.given([created]).when({ type: 'ArchiveProfile', profileId: P }).then([archived]);
      spec.given([created, archived]).when({ type: 'ArchiveProfile', profileId: P }).thenNothing();
    });

    it('an archived profile refuses renames and notes with a conflict', () => {
      spec.given([created, archived]).when({ type: 'RenameProfile', profileId: P, name: 'Other Name' }).thenThrows(StateConflictError);
      spec.given([created, archived]).when({ type: 'AddProfileNote', profileId: P, noteId: 'n-9', text: 'hi' }).thenThrows(StateConflictError);
    });
  });
});
