import { normalizeDocument } from './document.js';

describe('document (tax or identity number)', () => {
  it.each([
    ['123.456.789-09', '123.456.789-09'],
    ['  12.345.678/0001-95 ', '12.345.678/0001-95'],
    ['DE 123\t456 789', 'DE 123 456 789'],
    ['X'.repeat(64), 'X'.repeat(64)],
  ])('accepts %j as %j', (raw, value) => {
    expect(normalizeDocument(raw)).toEqual({ ok: true, value });
  });

  it.each([['X'.repeat(65)], ['123\u0000456'], ['12\u0007']])('refuses %j with a tip', (raw) => {
    expect(normalizeDocument(raw)).toEqual({ ok: false, message: expect.stringContaining('at most 64 characters') });
  });
});
