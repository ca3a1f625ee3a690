export type CreateProfile = { type: 'CreateProfile'; profileId: string; workspace: string; name: string };
export type RenameProfile = { type: 'RenameProfile'; profileId: string; name: string };
export type AddProfileNote = { type: 'AddProfileNote'; profileId: string; noteId: string; text: string };
export type EditProfileNote = { type: 'EditProfileNote'; profileId: string; noteId: string; text: string };
export type DeleteProfileNote = { type: 'DeleteProfileNote'; profileId: string; noteId: string };
export type ArchiveProfile = { type: 'ArchiveProfile'; profileId: string };

export type ProfileCommand = CreateProfile | RenameProfile | AddProfileNote | EditProfileNote | DeleteProfileNote | ArchiveProfile;
