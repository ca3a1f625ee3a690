import { CHANNELS, isLocked, type Channel, type ContactField } from './contact-fields.js';
import { effectiveValue } from './contact-state.js';

describe('locked fields', () => {
  it.each([
    ['whatsapp', 'phone'],
    ['viber', 'phone'],
    ['email', 'email'],
  ] as [Channel, ContactField][])('%s locks the %s, the channel identifier', (channel, field) => {
    expect(isLocked(channel, field)).toBe(true);
  });

  it.each(CHANNELS)('%s locks the avatar', (channel) => {
    expect(isLocked(channel, 'avatarUrl')).toBe(true);
  });

  it.each([
    ...CHANNELS.filter((c) => c !== 'whatsapp' && c !== 'viber').map((c) => [c, 'phone']),
    ...CHANNELS.filter((c) => c !== 'email').map((c) => [c, 'email']),
    ...CHANNELS.flatMap((c) => ['name', 'country', 'language'].map((f) => [c, f])),
  ] as [Channel, ContactField][])('%s leaves the %s editable', (channel, field) => {
    expect(isLocked(channel, field)).toBe(false);
  });
});

describe('effective value', () => {
  it.each([
    ['the channel value when not edited', { channelValue: 'Ann', edited: null }, 'Ann'],
    ['the edited value when edited', { channelValue: 'Ann', edited: { value: 'Ann Lee', by: 'agent-7', at: '2026-11-22T10:00:00.000Z' } }, 'Ann Lee'],
    ['null when cleared, whatever the channel says', { channelValue: 'Ann', edited: { value: null, by: 'agent-7', at: '2026-11-22T10:00:00.000Z' } }, null],
    ['null when nothing is known', { channelValue: null, edited: null }, null],
  ])('is %s', (_, field, expected) => {
    expect(effectiveValue(field)).toBe(expected);
  });
});
