import { deterministicId } from '../eventsourcing/deterministic-id.js';
import { identifierFieldOf, type Channel } from './contact-fields.js';
import { normalizeChannelPhone } from './field-rules/phone.js';

/**
 * One channel identity is one contact: the id derives from (workspace, channel, channel contact id),
 * the latter in its canonical form, so "+1 555 123 4567" and "15551234567" on WhatsApp are one contact.
 * A deleted contact stays deleted: the identity reported again is generation 1 (then 2…), a new contact.
 */
export function contactIdFor(workspace: string, channel: Channel, channelContactId: string, generation = 0): string {
  const parts = ['contact', workspace, channel, canonicalChannelContactId(channel, channelContactId)];
  return deterministicId(...parts, ...(generation > 0 ? [String(generation)] : []));
}

/** Phone identities in E.164, e-mail identities in lower case, others trimmed. */
export function canonicalChannelContactId(channel: Channel, channelContactId: string): string {
  const id = channelContactId.trim();
  const identifierField = identifierFieldOf(channel);
  if (identifierField === 'phone') return normalizeChannelPhone(id);
  if (identifierField === 'email') return id.toLowerCase();
  return id;
}

export function contactStreamId(contactId: string): string {
  return `contact-${contactId}`;
}
