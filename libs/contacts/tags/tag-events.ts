/**
 * A tag on a contact, in the workspace's spelling of it (the first one used). Tags label
 * contacts for the workspace; they are not the contact's personal data.
 */
export type TagAssigned = { type: 'TagAssigned'; data: { tag: string } };

/** The tag leaves the contact; it stays in the workspace. */
export type TagRemoved = { type: 'TagRemoved'; data: { tag: string } };

export type ContactTaggingEvent = TagAssigned | TagRemoved;
