import { CONTACT_FIELDS, identifierFieldOf, type Channel } from './contact-fields.js';
import type { ChannelValues } from './contact-events.js';
import { normalizeChannelPhone } from './field-rules/phone.js';

/**
 * The values a channel reports, as it gives them: trimmed, empty → null, phones in E.164
 * when they parse. Channel values are not validated: they are what the channel knows.
 * The channel's own contact id stands in for the identifier field (the phone of WhatsApp,
 * Viber and SMS contacts, the e-mail of E-mail contacts) when the channel sends none.
 */
export function reportedChannelValues(channel: Channel, channelContactId: string, values: ChannelValues): ChannelValues {
  const reported: ChannelValues = {};
  for (const field of CONTACT_FIELDS) {
    const raw = values[field];
    if (raw === undefined) continue;
    const value = raw === null ? '' : raw.trim();
    reported[field] = value === '' ? null : field === 'phone' ? normalizeChannelPhone(value) : value;
  }
  const identifierField = identifierFieldOf(channel);
  if (identifierField && !reported[identifierField]) {
    const id = channelContactId.trim();
    reported[identifierField] = identifierField === 'phone' ? normalizeChannelPhone(id) : id;
  }
  return reported;
}
