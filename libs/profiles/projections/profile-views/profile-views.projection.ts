import { CONTACT_FIELDS } from '../../../contacts/index.js';
import { searchTokensOf, sortKeyOf, type SearchableContact } from '../../../contacts/projections/contact-search/search-tokens.js';
import { readStored, writeFolded } from '../../../projections/positioned-documents.js';
import type { Projection } from '../../../projections/projection.js';
import { findHoldingAny } from '../find-matching-any.js';
import { IdsByValue } from '../ids-by-value.js';
import { foldLinkedContact, profilesTouchedBy, type LinkedContact } from '../linked-contact.js';
import { profileEventOf, type LoggedProfileEvent } from '../profile-log-events.js';
import { contactEventsOf } from '../../../contacts/projections/contact-events-of.js';
import { groupBy } from '../../../projections/group-by.js';
import type { Static } from '../../../http/openapi/schema.js';
import type { ProfileNoteSchema } from '../../profile-view.schema.js';

export const PROFILE_VIEWS_COLLECTION = 'profile_views';
export const PROFILE_CONTACTS_COLLECTION = 'profile_contacts';

export type ProfileNote = Static<typeof ProfileNoteSchema>;

/**
 * A profile: its own fields and notes folded from its stream, and what is derived from the
 * contact streams: the contacts attached now, those attached once, and the search tokens of
 * its name and of every attached contact's name, phone and e-mail.
 */
export type ProfileViewDocument = {
  _id: string;
  workspace: string;
  name: string;
  archived: boolean;
  notes: ProfileNote[];
  contactIds: string[];
  formerContactIds: string[];
  tokens: string[];
  sortKey: string;
  /** Number of events of the profile's stream: what If-Match takes. */
  version: number;
  createdAt: string;
  updatedAt: string;
  position: number;
};

/** The projection's fold of every contact, with its search tokens. */
export type ProfileContactDocument = LinkedContact & { _id: string; tokens: string[]; position: number };

type Touch = { position: number; at: string | null };

/**
 * `profile-views`: the profile view of `GET /v1/profiles/:id` and the index of `GET /v1/profiles?q=`.
 * The link lives on the contact streams; the profile side is projected from them, in log order,
 * so a profile's contact list always agrees with the contact views at the same position.
 */
export const profileViewsProjection: Projection = {
  name: 'profile-views',
  collections: [PROFILE_VIEWS_COLLECTION, PROFILE_CONTACTS_COLLECTION],

  async setup(db) {
    const profiles = db.collection<ProfileViewDocument>(PROFILE_VIEWS_COLLECTION);
    await profiles.createIndex({ workspace: 1, tokens: 1 });
    await profiles.createIndex({ workspace: 1, sortKey: 1, _id: 1 });
    await db.collection<ProfileContactDocument>(PROFILE_CONTACTS_COLLECTION).createIndex({ everProfileIds: 1 });
  },

  async applyBatch(events, db) {
    const contacts = db.collection<ProfileContactDocument>(PROFILE_CONTACTS_COLLECTION);
    const profiles = db.collection<ProfileViewDocument>(PROFILE_VIEWS_COLLECTION);
    const touched = new Map<string, Touch>();
    const touch = (profileId: string, position: number, at: string | null) => {
      const before = touched.get(profileId);
      if (!before || position > before.position) touched.set(profileId, { position, at: at ?? before?.at ?? null });
    };

    // Contacts first: a profile is then recomputed from what is stored, so a batch that failed
    // between the two writes recomputes the same profiles when it is delivered again.
    const contactEvents = contactEventsOf(events);
    const byContact = groupBy(contactEvents, (event) => event.contactId);
    const writtenContacts = db.owned?.written<ProfileContactDocument>(PROFILE_CONTACTS_COLLECTION);
    const membersOf = db.owned?.memory('profile-members', () => new IdsByValue<ProfileContactDocument>((contact) => contact.everProfileIds));
    const stored = await readStored(contacts, [...byContact.keys()], writtenContacts);
    const changed: ProfileContactDocument[] = [];
    for (const [contactId, group] of byContact) {
      const before = stored.get(contactId) ?? null;
      let document = before;
      for (const event of group) {
        const isLink = event.type === 'ProfileAttached' || event.type === 'ProfileDetached';
        const applied = document === null || event.position > document.position;
        const after = applied ? contactDocumentOf(foldLinkedContact(document, event), event.position) : document;
        for (const profileId of profilesTouchedBy(event, document, after)) touch(profileId, event.position, isLink ? event.metadata.occurredAt : null);
        document = after;
      }
      if (document && document !== before) changed.push(document);
    }
    membersOf?.writing(changed);
    await writeFolded(contacts, changed, writtenContacts);
    membersOf?.written(changed, (id) => stored.get(id)?.everProfileIds ?? []);
    // A deleted contact's values must not survive in the store's files (crypto-shredding, issue 7).
    const erases = contactEvents.some((event) => event.type === 'ContactDeleted');
    if (erases) await db.shredDeleted();

    const profileEvents = events.flatMap((event) => profileEventOf(event) ?? []);
    const byProfile = groupBy(profileEvents, (event) => event.profileId);
    const ids = [...new Set([...byProfile.keys(), ...touched.keys()])];
    if (ids.length === 0) return;
    const writtenProfiles = db.owned?.written<ProfileViewDocument>(PROFILE_VIEWS_COLLECTION);
    const storedProfiles = await readStored(profiles, ids, writtenProfiles);
    const members = await findHoldingAny(contacts, 'everProfileIds', ids, writtenContacts, membersOf);
    const recomputed: ProfileViewDocument[] = [];
    for (const id of ids) {
      const before = storedProfiles.get(id) ?? null;
      let profile = before;
      for (const event of byProfile.get(id) ?? []) {
        if (profile === null || event.position > profile.position) profile = foldProfile(profile, event);
      }
      const touch = touched.get(id);
      if (profile === null) continue;
      const position = Math.max(profile.position, touch?.position ?? 0);
      if (before && position <= before.position) continue;
      const updatedAt = touch?.at && touch.at > profile.updatedAt ? touch.at : profile.updatedAt;
      recomputed.push({ ...profile, ...derivedFrom(profile, members), updatedAt, position });
    }
    await writeFolded(profiles, recomputed, writtenProfiles);
    if (erases) await db.shredDeleted();
  },
};

function contactDocumentOf(contact: LinkedContact, position: number): ProfileContactDocument {
  const fields = emptySearchFields();
  for (const [field, state] of Object.entries(contact.fields)) fields[field as keyof typeof fields] = { value: state.value };
  return { _id: contact.contactId, ...contact, tokens: searchTokensOf({ id: contact.contactId, fields, tags: [] }), position };
}

function foldProfile(profile: ProfileViewDocument | null, event: LoggedProfileEvent): ProfileViewDocument {
  const at = event.metadata.occurredAt;
  const touched = { version: event.revision + 1, updatedAt: at, position: event.position };
  if (event.type === 'ProfileCreated') {
    const { profileId, workspace, name } = event.data;
    return { _id: profileId, workspace, name, archived: false, notes: [], contactIds: [], formerContactIds: [], tokens: [], sortKey: '', createdAt: at, ...touched };
  }
  if (profile === null) throw new Error(`A profile view starts with ProfileCreated, not ${event.type}`);
  switch (event.type) {
    case 'ProfileRenamed':
      return { ...profile, name: event.data.name, ...touched };
    case 'ProfileNoteAdded':
      return { ...profile, notes: [...profile.notes, { id: event.data.noteId, text: event.data.text, author: event.metadata.actor.id, at }], ...touched };
    case 'ProfileNoteEdited': {
      const { noteId, text } = event.data;
      return { ...profile, notes: profile.notes.map((note) => (note.id === noteId ? { ...note, text, editedAt: at } : note)), ...touched };
    }
    case 'ProfileNoteDeleted':
      return { ...profile, notes: profile.notes.filter((note) => note.id !== event.data.noteId), ...touched };
    case 'ProfileArchived':
      return { ...profile, archived: true, ...touched };
  }
}

function derivedFrom(profile: ProfileViewDocument, members: readonly ProfileContactDocument[]) {
  const everAttached = members.filter((member) => member.everProfileIds.includes(profile._id));
  const attached = everAttached.filter((member) => member.profileId === profile._id);
  const nameOnly = { id: profile._id, fields: { ...emptySearchFields(), name: { value: profile.name } }, tags: [] };
  const tokens = new Set([...searchTokensOf(nameOnly), ...attached.flatMap((member) => member.tokens)]);
  return {
    contactIds: attached.map((member) => member._id).sort(),
    formerContactIds: everAttached.filter((member) => member.profileId !== profile._id && !member.deleted).map((member) => member._id).sort(),
    tokens: [...tokens].sort(),
    sortKey: sortKeyOf(nameOnly),
  };
}

function emptySearchFields(): SearchableContact['fields'] {
  return Object.fromEntries(CONTACT_FIELDS.map((field) => [field, { value: null }])) as SearchableContact['fields'];
}
