import { countryOfPhone } from './derived-country.js';

describe('countryOfPhone', () => {
  it.each([
    ['+12125551234', 'US'],
    ['+15551234567', 'US'],
    ['+14165551234', 'CA'],
    ['+442079460001', 'GB'],
    ['+447700900123', 'GB'],
    ['+77011234567', 'KZ'],
    ['+79161234567', 'RU'],
    ['+5511987654321', 'BR'],
  ])('%s is in %s', (phone, country) => {
    expect(countryOfPhone(phone)).toBe(country);
  });

  it.each([['+80012345678'], ['5551234567'], ['not a phone'], [null]])('%j has no country', (phone) => {
    expect(countryOfPhone(phone)).toBeNull();
  });
});
