import type { EventMetadata } from '../../../eventsourcing/event-metadata.js';
import { contactDecider, type ContactEvent } from '../../index.js';
import { applyToContactView, contactViewFrom, contactViewOf, type ContactView, type RecordedContactEvent } from './contact-view.js';
import { channelData, cleared, CONTACT_ID, edited, registered, restored, WORKSPACE } from '../../testing/contact-fixtures.js';

const CHANNEL_ACTOR = { id: 'whatsapp-connector', role: 'integration' } as const;

/** Records the events as the log would: one minute apart, revisions from 0. */
function recorded(events: { event: ContactEvent; actorId?: string }[]): RecordedContactEvent[] {
  return events.map(({ event, actorId }, revision) => {
    const metadata: EventMetadata = {
      workspace: WORKSPACE,
      actor: actorId ? { id: actorId, role: 'agent' } : CHANNEL_ACTOR,
      source: actorId ? 'agent' : 'channel',
      correlationId: `c-${revision}`,
      causationId: null,
      schemaVersion: 1,
      occurredAt: new Date(Date.UTC(2026, 10, 22, 10, revision)).toISOString(),
    };
    return { ...event, metadata, revision };
  });
}

const byChannel = (event: ContactEvent) => ({ event });
const byAgent = (actorId: string, event: ContactEvent) => ({ event, actorId });

const ANN = [
  byChannel(registered('whatsapp', '15551234567')),
  byChannel(channelData({ name: 'ann', phone: '+15551234567', avatarUrl: 'https://cdn.example.com/ann.png' })),
];

const notSet = (locked = false) => ({ value: null, channelValue: null, edited: false, locked });

describe('contact view', () => {
  it('given a registration and channel data, then every field with its channel value', () => {
    expect(contactViewFrom(recorded(ANN))).toEqual<ContactView>({
      id: CONTACT_ID,
      workspace: WORKSPACE,
      channel: 'whatsapp',
      channelContactId: '15551234567',
      fields: {
        name: { value: 'ann', channelValue: 'ann', edited: false, locked: false },
        phone: { value: '+15551234567', channelValue: '+15551234567', edited: false, locked: true },
        email: notSet(),
        country: { value: 'US', channelValue: null, edited: false, locked: false, derived: true },
        language: notSet(),
        avatarUrl: { value: 'https://cdn.example.com/ann.png', channelValue: 'https://cdn.example.com/ann.png', edited: false, locked: true },
        document: notSet(),
      },
      tags: [],
      customFields: {},
      profileId: null,
      blocked: false,
      version: 2,
      updatedAt: '2026-11-22T10:01:00.000Z',
    });
  });

  it('given a registration alone, then every field is present and empty', () => {
    const view = contactViewFrom(recorded([byChannel(registered('email', 'ann@example.com'))]));
    expect(view?.fields).toEqual({
      name: notSet(),
      phone: notSet(),
      email: notSet(true),
      country: notSet(),
      language: notSet(),
      avatarUrl: notSet(true),
      document: notSet(),
    });
    expect(view?.version).toBe(1);
  });

  it('given an edit, then the edited value, who and when', () => {
    const view = contactViewFrom(recorded([...ANN, byAgent('agent-7', edited('name', 'Ann Lee'))]));
    expect(view?.fields.name).toEqual({
      value: 'Ann Lee',
      channelValue: 'ann',
      edited: true,
      editedBy: 'agent-7',
      editedAt: '2026-11-22T10:02:00.000Z',
      locked: false,
    });
    expect(view?.version).toBe(3);
    expect(view?.updatedAt).toBe('2026-11-22T10:02:00.000Z');
  });

  it('given a clear, then an edited empty value', () => {
    const view = contactViewFrom(recorded([...ANN, byAgent('agent-7', cleared('name'))]));
    expect(view?.fields.name).toEqual({
      value: null,
      channelValue: 'ann',
      edited: true,
      editedBy: 'agent-7',
      editedAt: '2026-11-22T10:02:00.000Z',
      locked: false,
    });
  });

  it('given new channel data after an edit, then the channel value changes beside the edited value', () => {
    const view = contactViewFrom(recorded([...ANN, byAgent('agent-7', edited('name', 'Ann Lee')), byChannel(channelData({ name: 'Annie' }))]));
    expect(view?.fields.name).toMatchObject({ value: 'Ann Lee', channelValue: 'Annie', edited: true, editedBy: 'agent-7' });
  });

  it('given new channel data on a field not edited, then the value follows the channel', () => {
    const view = contactViewFrom(recorded([...ANN, byChannel(channelData({ name: 'Annie', country: 'US' }))]));
    expect(view?.fields.name).toEqual({ value: 'Annie', channelValue: 'Annie', edited: false, locked: false });
    expect(view?.fields.country).toEqual({ value: 'US', channelValue: 'US', edited: false, locked: false });
  });

  it('given a restore, then the latest channel value shows and the edit marks are gone', () => {
    const view = contactViewFrom(
      recorded([
        ...ANN,
        byAgent('agent-7', edited('name', 'Ann Lee')),
        byAgent('agent-7', edited('country', 'GB')),
        byChannel(channelData({ name: 'Annie' })),
        byAgent('agent-9', restored('name', 'country')),
      ]),
    );
    expect(view?.fields.name).toEqual({ value: 'Annie', channelValue: 'Annie', edited: false, locked: false });
    expect(view?.fields.country).toEqual({ ...notSet(), value: 'US', derived: true });
    expect(view?.version).toBe(6);
  });

  describe('country derived from the phone (respond.io: "sourced from the phone number")', () => {
    const derived = (value: string) => ({ value, channelValue: null, edited: false, locked: false, derived: true });

    it('given a phone and no country, then the country of its calling code, marked derived', () => {
      const view = contactViewFrom(recorded([byChannel(registered('telegram', 't-1')), byChannel(channelData({ phone: '+44 20 7946 0001' }))]));
      expect(view?.fields.country).toEqual(derived('GB'));
    });

    it('follows the phone when it changes, and goes when the phone goes', () => {
      const base = [byChannel(registered('telegram', 't-1')), byChannel(channelData({ phone: '+442079460001' }))];
      expect(contactViewFrom(recorded([...base, byAgent('agent-7', edited('phone', '+4915112345678'))]))?.fields.country).toEqual(derived('DE'));
      expect(contactViewFrom(recorded([...base, byAgent('agent-7', cleared('phone'))]))?.fields.country).toEqual(notSet());
    });

    it("never overrides the channel's country, nor an agent's edit or clearing", () => {
      expect(contactViewFrom(recorded([...ANN, byChannel(channelData({ country: 'CA' }))]))?.fields.country).toEqual({ value: 'CA', channelValue: 'CA', edited: false, locked: false });
      expect(contactViewFrom(recorded([...ANN, byAgent('agent-7', edited('country', 'MX'))]))?.fields.country).toMatchObject({ value: 'MX', edited: true });
      expect(contactViewFrom(recorded([...ANN, byAgent('agent-7', cleared('country'))]))?.fields.country).toEqual({
        value: null,
        channelValue: null,
        edited: true,
        editedBy: 'agent-7',
        editedAt: '2026-11-22T10:02:00.000Z',
        locked: false,
      });
    });
  });

  it('is the same whether folded at once or one event at a time from a stored view', () => {
    const events = recorded([...ANN, byAgent('agent-7', edited('name', 'Ann Lee')), byAgent('agent-9', restored('name'))]);
    const stored = JSON.parse(JSON.stringify(contactViewFrom(events.slice(0, 2)))) as ContactView;
    const resumed = events.slice(2).reduce<ContactView>((view, event) => applyToContactView(view, event), stored);
    expect(resumed).toEqual(contactViewFrom(events));
  });

  it('does not change the view it is given', () => {
    const events = recorded([...ANN, byAgent('agent-7', edited('name', 'Ann Lee'))]);
    const before = contactViewFrom(events.slice(0, 2))!;
    const snapshot = structuredClone(before);
    applyToContactView(before, events[2]!);
    expect(before).toEqual(snapshot);
  });

  it('gives the view as it was after a prefix of the events (time travel)', () => {
    const events = recorded([...ANN, byAgent('agent-7', edited('name', 'Ann Lee'))]);
    expect(contactViewFrom(events.filter((e) => e.metadata.occurredAt <= '2026-11-22T10:01:00.000Z'))?.fields.name.value).toBe('ann');
  });

  it('is null before any event', () => {
    expect(contactViewFrom([])).toBeNull();
  });

  it('refuses a stream that does not start with a registration', () => {
    expect(() => contactViewFrom(recorded([byAgent('agent-7', edited('name', 'Ann Lee'))]))).toThrow(/ContactRegistered/);
  });

  it("is the same as the view of the write model's state: what a write answers", () => {
    const histories = [
      ANN,
      [byChannel(registered('email', 'ann@example.com'))],
      [...ANN, byAgent('agent-7', edited('name', 'Ann Lee')), byAgent('agent-7', cleared('country')), byChannel(channelData({ name: 'Annie' }))],
      [...ANN, byAgent('agent-7', edited('name', 'Ann Lee')), byAgent('agent-9', edited('country', 'GB')), byAgent('agent-9', restored('name'))],
    ];
    for (const history of histories) {
      const events = recorded(history);
      expect(contactViewOf(events.reduce(contactDecider.evolve, contactDecider.initialState()))).toEqual(contactViewFrom(events));
    }
  });
});
