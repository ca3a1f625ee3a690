import { normalizeChannelPhone, normalizePhone } from './phone.js';

describe('phone rule', () => {
  it.each([
    ['+15551234567', '+15551234567'],
    ['+1 555 123 4567', '+15551234567'],
    ['+1 (555) 123-4567', '+15551234567'],
    ['+1.555.123.4567', '+15551234567'],
    ['  +44 20 7946 0958 ', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['0044(20)79460958', '+442079460958'],
    ['+49 30 901820', '+4930901820'],
    ['+7 999 123-45-67', '+79991234567'],
    ['+55 11 91234-5678', '+5511912345678'],
    ['+683 4002', '+6834002'],
  ])('accepts %j as %j', (raw, value) => {
    expect(normalizePhone(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['5551234567', 'no country code'],
    ['(555) 123-4567', 'a national format'],
    ['+1 555', 'too short'],
    ['+12', 'far too short'],
    ['+1 555 123 4567 8901 2345', 'too long'],
    ['+999 1234567', 'an unknown country code'],
    ['+1 555 CALL NOW', 'letters'],
    ['+1 555 123 4567 ext 5', 'an extension'],
    ['+1 555/123/4567', 'slashes'],
    ['1+5551234567', 'a + inside'],
    ['++15551234567', 'two +'],
    ['', 'empty'],
  ])('refuses %j (%s) with a formatting tip', (raw) => {
    expect(normalizePhone(raw)).toEqual({ ok: false, message: 'Enter the number with its country code, e.g. +44 20 7946 0958.' });
  });
});

describe('phone as a channel reports it', () => {
  it.each([
    ['+1 555 123 4567', '+15551234567'],
    ['15551234567', '+15551234567'],
    ['447700900123', '+447700900123'],
    ['0044 7700 900123', '+447700900123'],
    ['555-CALL', '555-CALL'],
    ['12', '12'],
  ])('keeps %j as %j', (raw, value) => {
    expect(normalizeChannelPhone(raw)).toBe(value);
  });
});
