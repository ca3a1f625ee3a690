import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../libs/event-store/event-store.port.js';
import {
  contactDecider,
  contactIdFor,
  contactStreamId,
  type Channel,
  type ContactCommand,
  type ContactEvent,
  type ContactState,
} from '../libs/contacts/index.js';
import type { Actor, EventMetadata, Source } from '../libs/eventsourcing/event-metadata.js';
import { EVENT_SCHEMAS } from '../apps/shared/event-log.js';

export const WORKSPACE = 'bench';

const FIRST_NAMES = [
  'Maria', 'James', 'Olga', 'Mohammed', 'Aiko', 'Liam', 'Sofia', 'Noah', 'Chloé', 'Mateo', 'Ingrid', 'Kwame',
  'Priya', 'Lucas', 'Yara', 'Dmitri', 'Fatima', 'Hugo', 'Elena', 'Wei', 'Amara', 'Jonas', 'Zoë', 'Rafael',
  'Nadia', 'Oscar', 'Leila', 'Tomasz', 'Grace', 'Arjun', 'Björn', 'Camila', 'Emeka', 'Hana', 'Ivan', 'Julia',
];
const LAST_NAMES = [
  'Garcia', 'Smith', 'Ivanova', 'Khan', 'Tanaka', 'Müller', 'Rossi', 'Nguyen', 'Dubois', 'Silva', 'Larsen', 'Mensah',
  'Patel', 'Kowalski', 'Haddad', 'Novak', 'Okafor', 'Lindqvist', 'Moreau', 'Chen', 'Jean-Baptiste', 'Fischer',
  'Santos', 'Petrov', 'Ahmed', 'Hoffmann', 'Costa', "O'Brien", 'Yilmaz', 'Kim', 'Schmidt', 'Andersen', 'Romero',
  'Wójcik', 'Bianchi', 'Sato', 'Ferreira', 'Nowak', 'Eriksson', 'Abara',
];
const DOMAINS = ['mail.example.com', 'example.org', 'inbox.example.net', 'corp.example.co.uk', 'example.io'];
const CHANNELS: readonly Channel[] = ['whatsapp', 'email', 'telegram'];

const CONNECTOR: Actor = { id: 'connector-1', role: 'integration' };
const STARTED_AT = Date.parse('2024-01-01T00:00:00Z');

/** What the i-th contact's channel reports; odd ones keep the agent's "First Q. Last", found by the same words. */
export interface SyntheticContact {
  id: string;
  name: string;
  phone: string;
  email: string;
  channel: Channel;
  channelContactId: string;
}

/**
 * The i-th of a deterministic population: names combine the lists (so common words match many
 * contacts), phones and e-mails are unique. Phones are UK mobiles with digits spread by a
 * multiplier coprime with 10⁹, so suffixes of any length vary.
 */
export function syntheticContact(i: number): SyntheticContact {
  const first = FIRST_NAMES[i % FIRST_NAMES.length]!;
  const last = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]!;
  const phone = `+447${String((i * 7919 + 104_729) % 1_000_000_000).padStart(9, '0')}`;
  const login = `${asciiOf(first)}.${asciiOf(last)}${i}`;
  const email = `${login}@${DOMAINS[i % DOMAINS.length]}`;
  const channel = CHANNELS[i % CHANNELS.length]!;
  const channelContactId = channel === 'whatsapp' ? phone : channel === 'email' ? email : `tg-${i}`;
  const id = contactIdFor(WORKSPACE, channel, channelContactId);
  return { id, name: `${first} ${last}`, phone, email, channel, channelContactId };
}

/**
 * The i-th contact's events, decided by the contact decider and stamped with the metadata the
 * AggregateStore writes: the channel reports it; an agent adds a middle name and a language
 * (and, for every third one, clears the country); the channel reports a new avatar; every
 * other contact has its name restored from the channel. 5–7 events, mostly 6.
 */
export function syntheticContactEvents(i: number): { contact: SyntheticContact; streamId: string; events: NewEvent[] } {
  const contact = syntheticContact(i);
  const { id: contactId, channel, channelContactId } = contact;
  const agent: Actor = { id: `agent-${i % 25}`, role: 'agent' };
  const report = (values: Record<string, string>): ContactCommand => ({
    type: 'ReportChannelContact',
    contactId,
    workspace: WORKSPACE,
    channel,
    channelContactId,
    values,
  });
  const script: Array<{ command: ContactCommand; actor: Actor; source: Source }> = [
    { command: report({ name: contact.name, phone: contact.phone, email: contact.email, country: 'GB' }), actor: CONNECTOR, source: 'channel' },
    {
      command: {
        type: 'EditContactFields',
        contactId,
        changes: { name: `${contact.name.split(' ')[0]} Q. ${contact.name.split(' ').slice(1).join(' ')}`, language: 'en', ...(i % 3 === 0 ? { country: null } : {}) },
      },
      actor: agent,
      source: 'agent',
    },
    { command: report({ avatarUrl: `https://cdn.example.com/avatars/${i}.png` }), actor: CONNECTOR, source: 'channel' },
    ...(i % 2 === 0 ? [{ command: { type: 'RestoreFromChannel', contactId, fields: ['name'] } as ContactCommand, actor: agent, source: 'agent' as Source }] : []),
  ];

  let state: ContactState = contactDecider.initialState();
  const events: NewEvent[] = [];
  script.forEach(({ command, actor, source }, step) => {
    const metadata: EventMetadata = {
      workspace: WORKSPACE,
      actor,
      source,
      correlationId: randomUUID(),
      causationId: null,
      schemaVersion: 0,
      occurredAt: new Date(STARTED_AT + i * 60_000 + step * 1_000).toISOString(),
    };
    for (const event of contactDecider.decide(command, state)) {
      state = contactDecider.evolve(state, { ...event, metadata });
      events.push(newEventOf(event, metadata));
    }
  });
  return { contact, streamId: contactStreamId(contactId), events };
}

function newEventOf(event: ContactEvent, metadata: EventMetadata): NewEvent {
  return {
    id: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: { ...metadata, schemaVersion: EVENT_SCHEMAS.schemaVersionOf(event.type) },
  };
}

/** The e-mail login of a name: Latin letters only, as the e-mail rule wants. */
function asciiOf(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}
