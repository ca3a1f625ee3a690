import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { accepted, refused, type FieldRule } from './field-rule.js';

const PHONE_TIP = 'Enter the number with its country code, e.g. +44 20 7946 0958.';
const MIN_LENGTH = 7;

/**
 * `+`, country code and number, with spaces, dashes, dots or parentheses between the digits;
 * a leading `00` stands for `+`. Stored in E.164. Checked with `isPossible()` (length per
 * country) rather than `isValid()`, so that reserved test ranges such as +1 555 pass.
 */
export const normalizePhone: FieldRule = (raw) => {
  const trimmed = raw.trim();
  const international = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  if (!/^\+[\d\s().-]+$/.test(international)) return refused(PHONE_TIP);
  const parsed = parsePhoneNumberFromString(international);
  if (!parsed || !parsed.isPossible() || parsed.number.length < MIN_LENGTH) return refused(PHONE_TIP);
  return accepted(parsed.number);
};

/**
 * A phone as a channel reports it: E.164 when it parses, also when the channel leaves out
 * the `+` (WhatsApp and Viber ids are international numbers without it); else as given.
 */
export function normalizeChannelPhone(raw: string): string {
  const asGiven = normalizePhone(raw);
  if (asGiven.ok) return asGiven.value;
  if (/^\d+$/.test(raw)) {
    const withPlus = normalizePhone(`+${raw}`);
    if (withPlus.ok) return withPlus.value;
  }
  return raw;
}
