import { ProjectionSpecification } from '../../../projections/testing/projection-spec.js';
import { SPEC_METADATA } from '../../../eventsourcing/testing/decider-spec.js';
import { channelData, CONTACT_ID, edited, registered } from '../../testing/contact-fixtures.js';
import { contactStreamId } from '../../contact-ids.js';
import { CONTACT_HISTORY_COLLECTION, contactHistoryProjection } from './contact-history.projection.js';

const stream = contactStreamId(CONTACT_ID);
const spec = ProjectionSpecification.for(contactHistoryProjection);
const AGENT_EDIT = { actor: { id: 'agent-7', role: 'agent' as const }, source: 'agent' as const, occurredAt: '2026-11-22T10:00:00.000Z' };
const eventId = (position: number) => `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`;

const entry = (position: number, field: string, from: string | null, to: string | null, eventType: string, by = SPEC_METADATA) => ({
  _id: `${eventId(position)}:${field}`,
  workspace: 'acme',
  contactId: CONTACT_ID,
  at: by.occurredAt,
  actor: by.actor,
  source: by.source,
  field,
  from,
  to,
  eventType,
  eventId: eventId(position),
  position,
});

describe('contact-history, given events then documents', () => {
  it('records channel values as they arrive and an edit with the effective value before and after', async () => {
    await spec
      .given([
        { streamId: stream, event: registered('telegram', '987654321') },
        { streamId: stream, event: channelData({ name: 'Bob', language: 'en' }) },
        { streamId: stream, event: edited('name', 'Robert'), metadata: AGENT_EDIT },
      ])
      .then({
        [CONTACT_HISTORY_COLLECTION]: [
          entry(2, 'name', null, 'Bob', 'ChannelDataReceived'),
          entry(2, 'language', null, 'en', 'ChannelDataReceived'),
          entry(3, 'name', 'Bob', 'Robert', 'ContactFieldEdited', { ...SPEC_METADATA, ...AGENT_EDIT }),
        ],
      });
  });

  it('records nothing for events of other streams', async () => {
    await spec.given([{ streamId: 'workspace-acme', event: { type: 'ContactEditingGranted', data: { agentIds: ['a1'] } } }]).then({ [CONTACT_HISTORY_COLLECTION]: [] });
  });
});
