import { channelChangesOf, type Channel } from '../../contacts/index.js';
import type { LoggedContactEvent } from '../../contacts/projections/contact-events-of.js';

/** The fields the profile read models use: what a profile is searched by and suggestions match on. */
export const LINKED_FIELDS = ['name', 'phone', 'email'] as const;
export type LinkedField = (typeof LINKED_FIELDS)[number];

type LinkedFieldState = { channelValue: string | null; edited: boolean; value: string | null };

/**
 * The profile feature's own fold of a contact (read models keep their own documents): its
 * effective name, phone and e-mail, the profile it belongs to, every profile it ever belonged
 * to, and whether it was deleted (then nothing personal is kept).
 */
export type LinkedContact = {
  contactId: string;
  workspace: string;
  channel: Channel | null;
  fields: Record<LinkedField, LinkedFieldState>;
  profileId: string | null;
  everProfileIds: string[];
  deleted: boolean;
};

const EMPTY_FIELD: LinkedFieldState = { channelValue: null, edited: false, value: null };

function emptyFields(): LinkedContact['fields'] {
  return { name: EMPTY_FIELD, phone: EMPTY_FIELD, email: EMPTY_FIELD };
}

function isLinkedField(field: string): field is LinkedField {
  return (LINKED_FIELDS as readonly string[]).includes(field);
}

export function foldLinkedContact(contact: LinkedContact | null, event: LoggedContactEvent): LinkedContact {
  const current: LinkedContact = contact ?? {
    contactId: event.contactId,
    workspace: event.metadata.workspace,
    channel: null,
    fields: emptyFields(),
    profileId: null,
    everProfileIds: [],
    deleted: false,
  };
  const fields = { ...current.fields };
  switch (event.type) {
    case 'ContactRegistered':
      return { ...current, channel: event.data.channel, workspace: event.data.workspace };
    case 'ChannelDataReceived':
      for (const [field, channelValue] of channelChangesOf(event.data)) {
        if (!isLinkedField(field)) continue;
        const before = fields[field];
        fields[field] = { channelValue: channelValue ?? null, edited: before.edited, value: before.edited ? before.value : (channelValue ?? null) };
      }
      return { ...current, fields };
    case 'ContactFieldEdited':
    case 'ContactFieldCleared': {
      const { field } = event.data;
      if (!isLinkedField(field)) return current;
      const value = event.type === 'ContactFieldEdited' ? event.data.personal.value : null;
      fields[field] = { ...fields[field], edited: true, value };
      return { ...current, fields };
    }
    case 'ContactRestoredFromChannel':
      for (const field of event.data.fields) {
        if (isLinkedField(field)) fields[field] = { ...fields[field], edited: false, value: fields[field].channelValue };
      }
      return { ...current, fields };
    case 'ProfileAttached': {
      const { profileId } = event.data;
      const everProfileIds = current.everProfileIds.includes(profileId) ? current.everProfileIds : [...current.everProfileIds, profileId];
      return { ...current, profileId, everProfileIds };
    }
    case 'ProfileDetached':
      return { ...current, profileId: null };
    case 'ContactDeleted':
      return { ...current, fields: emptyFields(), profileId: null, deleted: true };
    default:
      return current;
  }
}

/** The profiles an event of this contact changes: the one it names, and the ones it belonged to around it. */
export function profilesTouchedBy(event: LoggedContactEvent, before: LinkedContact | null, after: LinkedContact | null): string[] {
  const touched = new Set<string>();
  if (event.type === 'ProfileAttached' || event.type === 'ProfileDetached') touched.add(event.data.profileId);
  if (before?.profileId) touched.add(before.profileId);
  if (after?.profileId) touched.add(after.profileId);
  return [...touched];
}
