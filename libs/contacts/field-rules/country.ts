import { accepted, refused, type FieldRule } from './field-rule.js';

const COUNTRY_TIP = 'Enter a two-letter ISO 3166-1 country code, e.g. GB, DE or BR.';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/**
 * Codes that CLDR names but that are no country: ISO's user-assigned codes (AA, QM–QZ,
 * XA–XZ, ZZ; CLDR uses some for pseudo-locales and "Unknown Region") and the groupings EU,
 * EZ and UN.
 */
const NOT_A_COUNTRY = /^(AA|Q[M-Z]|X[A-Z]|ZZ|EU|EZ|UN)$/;

/**
 * The ISO 3166-1 alpha-2 codes that Intl knows, computed once (Intl's lookups cost more than the
 * rest of a view's update). Deprecated codes that Intl only knows as aliases (UK for GB, SU, YU…)
 * are left out, so that each country has one code.
 */
const LETTERS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
const COUNTRY_CODES: ReadonlySet<string> = new Set(
  LETTERS.flatMap((first) => LETTERS.map((second) => first + second))
    .filter((code) => !NOT_A_COUNTRY.test(code) && regionNames.of(code) !== undefined && new Intl.Locale(`und-${code}`).region === code),
);

/** A known country code (above), upper-cased. */
export const normalizeCountry: FieldRule = (raw) => {
  const code = raw.trim().toUpperCase();
  return COUNTRY_CODES.has(code) ? accepted(code) : refused(COUNTRY_TIP);
};
