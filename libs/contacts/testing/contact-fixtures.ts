import type { Channel, EditableField } from '../contact-fields.js';
import type { ChannelValues, ContactEvent } from '../contact-events.js';
import { channelDataReceived } from '../channel-data-received.js';

/** Builders of contact events for given/when/then specs. */

export const CONTACT_ID = '0b9a3a5e-6f3c-5d0e-9a51-2f1d6c7e8a90';
export const WORKSPACE = 'acme';

export function registered(channel: Channel, channelContactId: string): ContactEvent {
  return { type: 'ContactRegistered', data: { contactId: CONTACT_ID, workspace: WORKSPACE, channel, personal: { channelContactId } } };
}

export function channelData(values: ChannelValues): ContactEvent {
  return channelDataReceived(values);
}

export function edited(field: EditableField, value: string): ContactEvent {
  return { type: 'ContactFieldEdited', data: { field, personal: { value } } };
}

export function cleared(field: EditableField): ContactEvent {
  return { type: 'ContactFieldCleared', data: { field } };
}

export function restored(...fields: EditableField[]): ContactEvent {
  return { type: 'ContactRestoredFromChannel', data: { fields } };
}

/** A WhatsApp contact as the channel first reported it. */
export const WHATSAPP_ANN: ContactEvent[] = [
  registered('whatsapp', '15551234567'),
  channelData({ name: 'Ann', phone: '+15551234567' }),
];

/** A Telegram contact, whose phone and e-mail are editable. */
export const TELEGRAM_BOB: ContactEvent[] = [
  registered('telegram', '987654321'),
  channelData({ name: 'Bob', phone: '+447700900123', language: 'en' }),
];

