import { normalizeCountry } from './country.js';

describe('country rule', () => {
  it.each([
    ['GB', 'GB'],
    ['gb', 'GB'],
    [' de ', 'DE'],
    ['Us', 'US'],
    ['BR', 'BR'],
    ['JP', 'JP'],
    ['ZA', 'ZA'],
    ['AQ', 'AQ'],
  ])('accepts %j as %j', (raw, value) => {
    expect(normalizeCountry(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'empty'],
    ['G', 'one letter'],
    ['GBR', 'alpha-3'],
    ['826', 'numeric'],
    ['United Kingdom', 'a name'],
    ['G1', 'a digit'],
    ['QQ', 'not assigned'],
    ['AA', 'user-assigned'],
    ['XK', 'user-assigned'],
    ['ZZ', 'unknown region'],
    ['EU', 'a grouping'],
    ['UN', 'a grouping'],
    ['UK', 'an alias of GB'],
    ['SU', 'a deprecated code'],
  ])('refuses %j (%s) with a formatting tip', (raw) => {
    expect(normalizeCountry(raw)).toEqual({ ok: false, message: 'Enter a two-letter ISO 3166-1 country code, e.g. GB, DE or BR.' });
  });
});
