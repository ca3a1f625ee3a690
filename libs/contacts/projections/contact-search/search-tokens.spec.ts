import { describe, expect, it } from '@jest/globals';
import { queryTokensOf, searchTokensOf, sortKeyOf, type SearchableContact } from './search-tokens.js';

function contact(values: { name?: string; phone?: string; email?: string }, tags: string[] = []): SearchableContact {
  const value = (v: string | undefined) => ({ value: v ?? null });
  return {
    id: 'c-1',
    fields: { name: value(values.name), phone: value(values.phone), email: value(values.email), country: value('GB'), language: value('en'), avatarUrl: value(undefined), document: value('123.456.789-09') },
    tags,
  };
}

const matches = (tokens: string[], query: string) => queryTokensOf(query).every((q) => tokens.some((token) => token.startsWith(q)));

describe('searchTokensOf', () => {
  it('indexes the name words lower-cased and without accents, hyphenated words whole and in parts', () => {
    expect(searchTokensOf(contact({ name: 'Zoë  Jean-Luc Ångström' }))).toEqual(['angstrom', 'jean', 'jean-luc', 'luc', 'zoe']);
  });

  it('indexes every digit suffix of the phone of three digits or more', () => {
    expect(searchTokensOf(contact({ phone: '+15551234' }))).toEqual(['15551234', '234', '1234', '51234', '551234', '5551234'].sort());
  });

  it('indexes the e-mail whole, its local part, its domain and each domain label', () => {
    expect(searchTokensOf(contact({ email: 'Ann.Lee@Mail.Example.com' }))).toEqual(
      ['ann.lee', 'ann.lee@mail.example.com', 'com', 'example', 'mail', 'mail.example.com'].sort(),
    );
  });

  it('indexes tags as tag:<tag>, and nothing for the fields search does not cover', () => {
    expect(searchTokensOf(contact({}, ['vip']))).toEqual(['tag:vip']);
  });
});

describe('queryTokensOf', () => {
  it('reads digits and phone punctuation as one digits token', () => {
    expect(queryTokensOf('+44 (20) 7946-00.01')).toEqual(['442079460001']);
    expect(queryTokensOf(' + ')).toEqual([]);
  });

  it('reads anything else as words normalised like the index, edge punctuation trimmed', () => {
    expect(queryTokensOf('  Zoë, ann.lee@MAIL  zoë ')).toEqual(['zoe', 'ann.lee@mail']);
  });

  it('finds a phone however the query formats any trailing part of it', () => {
    const tokens = searchTokensOf(contact({ phone: '+442079460001' }));
    for (const query of ['+442079460001', '20 7946 0001', '7946-0001', '(20) 7946.0001', '0001']) expect(matches(tokens, query)).toBe(true);
    expect(matches(tokens, '7946 0002')).toBe(false);
  });
});

describe('sortKeyOf', () => {
  it('sorts named contacts by their normalised name and unnamed ones after every name', () => {
    const named = sortKeyOf(contact({ name: 'Ärne  Zed' }));
    const cyrillic = sortKeyOf(contact({ name: 'Юлия' }));
    const unnamed = sortKeyOf(contact({}));
    expect(named).toBe('1arne zed');
    expect([unnamed, cyrillic, named].sort()).toEqual([named, cyrillic, unnamed]);
  });
});
