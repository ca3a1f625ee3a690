import { canonicalChannelContactId, contactIdFor, contactStreamId } from './contact-ids.js';

describe('contact ids', () => {
  it('given the same workspace, channel and channel contact id, then the same contact id', () => {
    expect(contactIdFor('acme', 'whatsapp', '15551234567')).toBe(contactIdFor('acme', 'whatsapp', '15551234567'));
  });

  it('is a UUID', () => {
    expect(contactIdFor('acme', 'whatsapp', '15551234567')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each([
    ['another channel', ['acme', 'viber', '15551234567']],
    ['another workspace', ['globex', 'whatsapp', '15551234567']],
    ['another channel contact id', ['acme', 'whatsapp', '15551234568']],
  ] as const)('given %s, then another contact id', (_, [workspace, channel, channelContactId]) => {
    expect(contactIdFor(workspace, channel, channelContactId)).not.toBe(contactIdFor('acme', 'whatsapp', '15551234567'));
  });

  it.each([
    ['whatsapp', '+1 (555) 123-4567', '15551234567'],
    ['viber', '  +15551234567 ', '+1.555.123.4567'],
    ['email', 'Ann@Example.com', 'ann@example.com'],
    ['telegram', ' 12345 ', '12345'],
  ] as const)('given %s ids written two ways, then one contact', (channel, one, other) => {
    expect(contactIdFor('acme', channel, one)).toBe(contactIdFor('acme', channel, other));
  });

  it('keeps ids of channels without a phone or e-mail identity as given, but trimmed', () => {
    expect(canonicalChannelContactId('webchat', ' Visitor-7 ')).toBe('Visitor-7');
    expect(canonicalChannelContactId('whatsapp', '+1 555 123 4567')).toBe('+15551234567');
  });

  it('names the stream contact-<id>', () => {
    expect(contactStreamId('abc')).toBe('contact-abc');
  });
});
