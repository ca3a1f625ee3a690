import type { EventMetadata } from '../eventsourcing/event-metadata.js';
import { summaryOf, type SummarisedEvent } from './timeline-summary.js';

const metadata: EventMetadata = {
  workspace: 'acme', actor: { id: 'agent-7', role: 'agent' }, source: 'agent', correlationId: 'c', causationId: null, schemaVersion: 1, occurredAt: '2026-11-23T10:00:00.000Z',
};
const summary = (type: string, data: Record<string, unknown>, channel: string | null = 'whatsapp') => summaryOf({ type, data, metadata } as SummarisedEvent, 'p-1', channel); // partial data: only what a summary reads

describe('timeline summaries', () => {
  it.each([
    ['ProfileCreated', { name: 'Ann Lee' }, 'agent-7 created the profile "Ann Lee"'],
    ['ProfileRenamed', { name: 'Ann B. Lee' }, 'agent-7 renamed the profile to "Ann B. Lee"'],
    ['ProfileNoteAdded', { noteId: 'n', text: 'secret' }, 'agent-7 added a note'],
    ['ContactRegistered', { channel: 'whatsapp' }, 'WhatsApp contact first wrote in'],
    ['ChannelDataReceived', { personal: { values: { name: 'Ann' } }, withdrawn: ['email'] }, 'WhatsApp contact: the channel updated name and e-mail'],
    ['ContactFieldEdited', { field: 'email', personal: { value: 'ann@x.com' } }, 'agent-7 edited the e-mail of the WhatsApp contact'],
    ['ContactFieldCleared', { field: 'country' }, 'agent-7 cleared the country of the WhatsApp contact'],
    ['ContactRestoredFromChannel', { fields: ['name', 'phone', 'email'] }, 'agent-7 restored the name, phone and e-mail of the WhatsApp contact from the channel'],
    ['ProfileAttached', { profileId: 'p-1' }, 'agent-7 attached the WhatsApp contact to this profile'],
    ['ProfileDetached', { profileId: 'p-2' }, 'agent-7 detached the WhatsApp contact from another profile'],
    ['TagAssigned', { tag: 'vip' }, 'agent-7: tag assigned (WhatsApp contact)'],
  ])('%s: %s', (type, data, expected) => {
    expect(summary(type, data)).toBe(expected);
  });

  it('never shows a personal value of a contact', () => {
    const text = summary('ContactFieldEdited', { field: 'name', personal: { value: 'Very Secret Name' } });
    expect(text).not.toContain('Secret');
  });
});
