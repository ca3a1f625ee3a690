import { normalizeLanguage } from './language.js';

describe('language rule', () => {
  it.each([
    ['en', 'en'],
    ['EN', 'en'],
    [' en-gb ', 'en-GB'],
    ['pt_BR', 'pt-BR'],
    ['zh-hant-tw', 'zh-Hant-TW'],
    ['sr-Latn-RS', 'sr-Latn-RS'],
    ['iw', 'he'],
    ['es-419', 'es-419'],
    ['fil', 'fil'],
  ])('accepts %j as %j', (raw, value) => {
    expect(normalizeLanguage(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'empty'],
    ['english', 'a name'],
    ['e', 'one letter'],
    ['en,fr', 'two tags'],
    ['en--US', 'an empty subtag'],
    ['123', 'digits'],
    ['und', 'undetermined'],
    ['xx', 'not a language'],
    ['en US', 'a space'],
  ])('refuses %j (%s) with a formatting tip', (raw) => {
    expect(normalizeLanguage(raw)).toEqual({ ok: false, message: 'Enter a BCP 47 language tag, e.g. en, en-GB or pt-BR.' });
  });
});
