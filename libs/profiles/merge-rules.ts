import type { LinkedContact } from './projections/linked-contact.js';

/**
 * What makes two contacts of different channels likely one person: the same phone number
 * (digits of its E.164 form, at least 7) or the same e-mail address (trimmed, lower case).
 * A key that more than MAX_CONTACTS_PER_KEY contacts of a workspace share (a switchboard, a
 * shared mailbox) says nothing about one person, and suggests nothing.
 */
export const MAX_CONTACTS_PER_KEY = 10;

export type MatchRule = 'phone' | 'email';
export type MatchReason = { rule: MatchRule; value: string };

const MIN_PHONE_DIGITS = 7;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The contact's match keys, `phone:<digits>` and `email:<address>`. */
export function matchKeysOf(contact: Pick<LinkedContact, 'fields' | 'deleted'>): string[] {
  if (contact.deleted) return [];
  const keys: string[] = [];
  const digits = contact.fields.phone.value?.replace(/\D/g, '') ?? '';
  if (digits.length >= MIN_PHONE_DIGITS) keys.push(`phone:${digits}`);
  const email = contact.fields.email.value?.trim().toLowerCase() ?? '';
  if (EMAIL.test(email)) keys.push(`email:${email}`);
  return keys;
}

export function reasonOf(key: string): MatchReason {
  const [rule, ...value] = key.split(':');
  return { rule: rule as MatchRule, value: rule === 'phone' ? `+${value.join(':')}` : value.join(':') };
}

/** "same phone number +15551234567 and same email address ann@example.com" */
export function reasonText(reasons: readonly MatchReason[]): string {
  return reasons.map(({ rule, value }) => (rule === 'phone' ? `same phone number ${value}` : `same email address ${value}`)).join(' and ');
}
