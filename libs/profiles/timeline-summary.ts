import { channelChangesOf, type ContactEvent } from '../contacts/index.js';
import type { WithMetadata } from '../eventsourcing/domain-event.js';
import type { ProfileEvent } from './profile-events.js';

/** What a summary may use of an event: its type, data and metadata. */
export type SummarisedEvent = WithMetadata<ProfileEvent | ContactEvent>;

const CHANNEL_NAMES: Record<string, string> = {
  whatsapp: 'WhatsApp',
  viber: 'Viber',
  email: 'E-mail',
  telegram: 'Telegram',
  webchat: 'Web chat',
  sms: 'SMS',
  instagram: 'Instagram',
  messenger: 'Messenger',
};

const FIELD_NAMES: Record<string, string> = { name: 'name', phone: 'phone', email: 'e-mail', country: 'country', language: 'language', avatarUrl: 'avatar' };

/**
 * A one-line human summary of an event of a profile's timeline. It names who did what, never
 * a contact's personal values: those stay where deletion can erase them (the log, the views).
 */
export function summaryOf(event: SummarisedEvent, profileId: string, channel: string | null): string {
  const who = event.metadata.actor.id;
  const contact = `${channel ? (CHANNEL_NAMES[channel] ?? channel) : 'A'} contact`;
  switch (event.type) {
    case 'ProfileCreated':
      return `${who} created the profile "${event.data.name}"`;
    case 'ProfileRenamed':
      return `${who} renamed the profile to "${event.data.name}"`;
    case 'ProfileNoteAdded':
      return `${who} added a note`;
    case 'ProfileNoteEdited':
      return `${who} edited a note`;
    case 'ProfileNoteDeleted':
      return `${who} deleted a note`;
    case 'ProfileArchived':
      return `${who} archived the profile`;
    case 'ContactRegistered':
      return `${contact} first wrote in`;
    case 'ChannelDataReceived':
      return `${contact}: the channel updated ${fieldList(channelChangesOf(event.data).map(([field]) => field))}`;
    case 'ContactFieldEdited':
      return `${who} edited the ${fieldName(event.data.field)} of the ${contact}`;
    case 'ContactFieldCleared':
      return `${who} cleared the ${fieldName(event.data.field)} of the ${contact}`;
    case 'ContactRestoredFromChannel':
      return `${who} restored the ${fieldList(event.data.fields)} of the ${contact} from the channel`;
    case 'ProfileAttached':
      return event.data.profileId === profileId ? `${who} attached the ${contact} to this profile` : `${who} attached the ${contact} to another profile`;
    case 'ProfileDetached':
      return event.data.profileId === profileId ? `${who} detached the ${contact} from this profile` : `${who} detached the ${contact} from another profile`;
    default:
      return `${who}: ${words(event.type)} (${contact})`;
  }
}

function fieldName(field: string): string {
  return FIELD_NAMES[field] ?? field;
}

function fieldList(fields: readonly string[]): string {
  const names = fields.map(fieldName);
  return names.length <= 1 ? (names[0] ?? 'nothing') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** "TagAssigned" → "tag assigned": events of other features read well without a case here. */
function words(type: string): string {
  return type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
