import { LRUCache } from 'lru-cache';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ContactField } from '../../contact-fields.js';
import type { ContactFieldView } from './contact-view.js';
import { normalizeCountry } from '../../field-rules/country.js';

/**
 * The country of a phone number's calling code (respond.io: "sourced from the phone number"):
 * the number's own country where its digits tell (+1 212 → US, +7 701 → KZ), else the main
 * country of the calling code (+1 555 → US, +44 7700 900 → GB); none for non-geographic codes
 * (+800) or a phone that is not international.
 */
export function countryOfPhone(phone: string | null): string | null {
  if (!phone?.startsWith('+')) return null;
  const known = countriesOfPhones.get(phone);
  if (known !== undefined) return known.country;
  const country = parsedCountryOf(phone);
  countriesOfPhones.set(phone, { country });
  return country;
}

/**
 * Phones lately seen, with their country: every event of a contact updates its view, and parsing
 * its phone again costs more than the rest of the update.
 */
const countriesOfPhones = new LRUCache<string, { country: string | null }>({ max: 10_000 });

function parsedCountryOf(phone: string): string | null {
  const parsed = parsePhoneNumberFromString(phone);
  const country = parsed?.country ?? parsed?.getPossibleCountries()[0];
  if (!country) return null;
  const checked = normalizeCountry(country);
  return checked.ok ? checked.value : null;
}

/**
 * The country field as the view shows it: the edited or channel value when there is one (an
 * agent's clearing included), else derived from the phone and marked `derived: true`.
 */
export function withDerivedCountry(fields: Record<ContactField, ContactFieldView>): Record<ContactField, ContactFieldView> {
  const { derived: _, ...country } = fields.country;
  const given = country.edited || country.channelValue !== null;
  const derived = given ? null : countryOfPhone(fields.phone.value);
  if (derived) return { ...fields, country: { ...country, value: derived, derived: true } };
  return { ...fields, country: given ? country : { ...country, value: null } };
}
