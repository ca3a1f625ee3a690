import { accepted, refused, type FieldRule } from './field-rule.js';

const LANGUAGE_TIP = 'Enter a BCP 47 language tag, e.g. en, en-GB or pt-BR.';

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/**
 * One well-formed BCP 47 tag in its canonical form (`EN_gb` → `en-GB`, `iw` → `he`; `_` is
 * read as `-`) whose language Intl knows by name, so that well-formed nonsense such as
 * `english` or `und` is refused.
 */
export const normalizeLanguage: FieldRule = (raw) => {
  try {
    const canonical = Intl.getCanonicalLocales(raw.trim().replaceAll('_', '-'))[0];
    const known = languageNames.of(new Intl.Locale(canonical).language) !== undefined;
    return known ? accepted(canonical) : refused(LANGUAGE_TIP);
  } catch {
    // Intl throws a RangeError on a malformed tag; some engines also on `und`, read as no language.
    return refused(LANGUAGE_TIP);
  }
};
