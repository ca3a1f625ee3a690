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
 * An ISO 3166-1 alpha-2 code that Intl knows, upper-cased. Deprecated codes that Intl only
 * knows as aliases (UK for GB, SU, YU…) are refused, so that each country has one code.
 */
export const normalizeCountry: FieldRule = (raw) => {
  const code = raw.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code) || NOT_A_COUNTRY.test(code)) return refused(COUNTRY_TIP);
  if (regionNames.of(code) === undefined || new Intl.Locale(`und-${code}`).region !== code) return refused(COUNTRY_TIP);
  return accepted(code);
};
