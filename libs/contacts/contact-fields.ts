/** The fields of a contact, the channels contacts come from, and which fields a channel locks. */

export const CONTACT_FIELDS = ['name', 'phone', 'email', 'country', 'language', 'avatarUrl', 'document'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** What a channel may report: every field. */
export type ChannelField = ContactField;

/** What agents may edit: every field but the avatar, which only the channel provides. `document`: a tax or identity number (Blip Desk). */
export const EDITABLE_FIELDS = ['name', 'phone', 'email', 'country', 'language', 'document'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

export const CHANNELS = ['whatsapp', 'viber', 'email', 'telegram', 'webchat', 'sms', 'instagram', 'messenger'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channels whose contact id is the contact's phone number, or e-mail address. */
const PHONE_CHANNELS: readonly Channel[] = ['whatsapp', 'viber', 'sms'];
const EMAIL_CHANNELS: readonly Channel[] = ['email'];

export function isContactField(name: string): name is ContactField {
  return (CONTACT_FIELDS as readonly string[]).includes(name);
}

export function isEditableField(name: string): name is EditableField {
  return (EDITABLE_FIELDS as readonly string[]).includes(name);
}

/** The field that the channel's own contact id fills, if any. */
export function identifierFieldOf(channel: Channel): 'phone' | 'email' | null {
  if (PHONE_CHANNELS.includes(channel)) return 'phone';
  if (EMAIL_CHANNELS.includes(channel)) return 'email';
  return null;
}

/**
 * Whether agents may not edit the field: the avatar always, and the channel's unique client
 * identifier — the phone of WhatsApp and Viber contacts, the e-mail of E-mail contacts. SMS
 * contacts keep an editable phone: the edna rules lock it only for WhatsApp and Viber.
 */
export function isLocked(channel: Channel, field: ContactField): boolean {
  switch (field) {
    case 'avatarUrl':
      return true;
    case 'phone':
      return channel === 'whatsapp' || channel === 'viber';
    case 'email':
      return channel === 'email';
    default:
      return false;
  }
}
