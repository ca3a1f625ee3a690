import { normalizeEmail } from './email.js';

describe('e-mail rule', () => {
  it.each([
    ['ann@example.com', 'ann@example.com'],
    ['  ann@example.com ', 'ann@example.com'],
    ['Ann.Lee@Example.COM', 'Ann.Lee@example.com'],
    ['ann_lee-1@mail.example.co', 'ann_lee-1@mail.example.co'],
    ['a@bc.de', 'a@bc.de'],
    ['ann.lee@my-company.co.uk', 'ann.lee@my-company.co.uk'],
    ['123@456.78', '123@456.78'],
  ])('accepts %j as %j', (raw, value) => {
    expect(normalizeEmail(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'empty'],
    ['ann', 'no @'],
    ['ann@example', 'no dot after the @'],
    ['@example.com', 'no login'],
    ['ann@@example.com', 'two @'],
    ['ann@e.com', 'a one-character text'],
    ['ann@example.c', 'a one-character text2'],
    ['ann@a.b.example.com', 'four parts after the @'],
    ['ann+tag@example.com', 'a + in the login'],
    ['ann lee@example.com', 'a space in the login'],
    ['anné@example.com', 'a non-Latin letter in the login'],
    ['ann@exämple.com', 'a non-Latin letter in the domain'],
    ['ann@exa_mple.com', 'an underscore in the domain'],
    ['ann@example..com', 'an empty part'],
    ['ann@example.com.', 'a trailing dot'],
  ])('refuses %j (%s) with a formatting tip', (raw) => {
    const result = normalizeEmail(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/login@example\.com/);
  });
});
