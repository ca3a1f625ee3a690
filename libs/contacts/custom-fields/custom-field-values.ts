import { isDeepStrictEqual } from 'node:util';
import type { CustomFieldDefinition, CustomFieldType } from '../../workspace/custom-field-definitions.js';

import type { Static } from 'typebox';
import type { CustomFieldValue, LocationSchema } from './custom-field-events.js';

export type { CustomFieldValue };
export type Location = Static<typeof LocationSchema>;

export type CustomFieldValueResult = { ok: true; value: CustomFieldValue | null } | { ok: false; message: string };

const TEXT_MAX = 2000;
const WORD_MAX = 100;
const ADDRESS_MAX = 500;

const refused = (message: string): CustomFieldValueResult => ({ ok: false, message });
const accepted = (value: CustomFieldValue | null): CustomFieldValueResult => ({ ok: true, value });

/**
 * Checks a value for a custom field of the given definition and gives the value to store;
 * `null` (and `""`, or `[]` for multiple choice) clears the field. A bad value gets a
 * formatting tip, in the words of the contact fields' tips.
 */
export function normalizeCustomFieldValue(definition: CustomFieldDefinition, raw: unknown): CustomFieldValueResult {
  if (raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0)) return accepted(null);
  const options = definition.options ?? [];
  switch (definition.type) {
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw) ? accepted(raw) : refused('Enter a number, such as 3.1415926 or 65535 (a JSON number, not text).');
    case 'text':
      return typeof raw === 'string' && [...raw].length <= TEXT_MAX ? accepted(raw) : refused(`Enter text of at most ${TEXT_MAX.toLocaleString('en')} characters.`);
    case 'word': {
      const word = typeof raw === 'string' ? raw.trim() : null;
      return word !== null && !/\s/u.test(word) && [...word].length <= WORD_MAX
        ? accepted(word)
        : refused(`Enter one word of at most ${WORD_MAX} characters, without spaces, such as ClassOf2023.`);
    }
    case 'single_choice': {
      const option = typeof raw === 'string' ? optionOf(options, raw) : undefined;
      return option !== undefined ? accepted(option) : refused(`Choose one of: ${options.join(', ')}.`);
    }
    case 'multiple_choice': {
      const chosen = Array.isArray(raw) ? raw.map((item) => (typeof item === 'string' ? optionOf(options, item) : undefined)) : [undefined];
      return chosen.every((option) => option !== undefined)
        ? accepted(options.filter((option) => chosen.includes(option)))
        : refused(`Choose a list of options among: ${options.join(', ')}.`);
    }
    case 'location':
      return locationOf(raw);
    case 'date':
      return typeof raw === 'string' && isRealDate(raw.trim()) ? accepted(raw.trim()) : refused('Enter a date as YYYY-MM-DD, such as 2026-11-23.');
    case 'time':
      return typeof raw === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(raw.trim())
        ? accepted(raw.trim())
        : refused('Enter a time as HH:MM on the 24-hour clock, such as 09:30 or 18:45.');
  }
}

/** Whether two stored values are the same (an edit to the same value writes nothing). */
export function sameCustomFieldValue(a: CustomFieldValue | null | undefined, b: CustomFieldValue | null | undefined): boolean {
  return isDeepStrictEqual(a ?? null, b ?? null);
}

/** The types whose values search finds: words of text, words and choices. */
export function isSearchableType(type: CustomFieldType): boolean {
  return type === 'text' || type === 'word' || type === 'single_choice' || type === 'multiple_choice';
}

/** The option as defined, matched exactly or else ignoring case and surrounding spaces. */
function optionOf(options: readonly string[], raw: string): string | undefined {
  const wanted = raw.trim();
  return options.find((option) => option === wanted) ?? options.find((option) => option.toLowerCase() === wanted.toLowerCase());
}

function isRealDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const LOCATION_TIP = 'Enter a location as { "lat": -90 to 90, "lng": -180 to 180, "address": optional text of at most 500 characters }.';

function locationOf(raw: unknown): CustomFieldValueResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refused(LOCATION_TIP);
  const { lat, lng, address, ...rest } = raw as Record<string, unknown>;
  const inRange = (value: unknown, limit: number) => typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit;
  if (Object.keys(rest).length > 0 || !inRange(lat, 90) || !inRange(lng, 180)) return refused(LOCATION_TIP);
  if (address === undefined || address === null) return accepted({ lat: lat as number, lng: lng as number });
  if (typeof address !== 'string' || [...address].length > ADDRESS_MAX) return refused(LOCATION_TIP);
  return accepted({ lat: lat as number, lng: lng as number, ...(address.trim() ? { address: address.trim() } : {}) });
}
