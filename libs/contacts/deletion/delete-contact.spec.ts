import { NotFoundError } from '../../eventsourcing/domain-errors.js';
import { DeciderSpecification, withMetadata } from '../../eventsourcing/testing/decider-spec.js';
import { contactDecider } from '../contact-decider.js';
import type { ContactEvent } from '../contact-events.js';
import { evolveContact, initialContactState } from '../contact-state.js';
import { contactViewFrom } from '../projections/contact-views/contact-view.js';
import { contactIdFor } from '../contact-ids.js';
import { CONTACT_ID, edited, WHATSAPP_ANN } from '../testing/contact-fixtures.js';
import { ContactDeletedError } from './contact-deleted-error.js';

const spec = DeciderSpecification.for(contactDecider);
const deleted: ContactEvent = { type: 'ContactDeleted', data: {} };

describe('DeleteContact', () => {
  it('deletes a contact', () => {
    spec.given([...WHATSAPP_ANN, edited('name', 'Ann Lee')]).when({ type: 'DeleteContact', contactId: CONTACT_ID }).then([deleted]);
  });

  it('refuses a contact no channel reported', () => {
    spec.given([]).when({ type: 'DeleteContact', contactId: CONTACT_ID }).thenThrows(NotFoundError);
  });

  it('is irreversible: every later command is not found, deleting again included', () => {
    const after = [...WHATSAPP_ANN, deleted];
    spec.given(after).when({ type: 'DeleteContact', contactId: CONTACT_ID }).thenThrows(NotFoundError);
    spec.given(after).when({ type: 'EditContactFields', contactId: CONTACT_ID, changes: { name: 'Ann' } }).thenThrows(NotFoundError);
    spec.given(after).when({ type: 'AssignTag', contactId: CONTACT_ID, tag: 'vip' }).thenThrows(NotFoundError);
    spec.given(after).when({ type: 'BlockContact', contactId: CONTACT_ID }).thenThrows(NotFoundError);
  });

  it('refuses a channel report for the deleted contact: the identity moves on to a new contact id', () => {
    spec
      .given([...WHATSAPP_ANN, deleted])
      .when({ type: 'ReportChannelContact', contactId: CONTACT_ID, workspace: 'acme', channel: 'whatsapp', channelContactId: '15551234567', values: { name: 'Ann' } })
      .thenThrows(ContactDeletedError);
    expect(contactIdFor('acme', 'whatsapp', '+15551234567', 1)).not.toBe(contactIdFor('acme', 'whatsapp', '+15551234567'));
    expect(contactIdFor('acme', 'whatsapp', '+15551234567', 0)).toBe(contactIdFor('acme', 'whatsapp', '+15551234567'));
  });

  it('keeps nothing personal in the state, and the view ends', () => {
    const state = withMetadata([...WHATSAPP_ANN, edited('name', 'Ann Lee'), deleted]).reduce(evolveContact, initialContactState());
    expect(JSON.stringify(state)).not.toMatch(/Ann|5551234567/);
    expect(state).toMatchObject({ exists: false, deleted: true, workspace: 'acme' });
    const stamped = [...WHATSAPP_ANN, deleted].map((event, revision) => ({
      ...event,
      revision,
      metadata: { workspace: 'acme', actor: { id: 'o', role: 'owner' as const }, source: 'agent' as const, correlationId: 'c', causationId: null, schemaVersion: 1, occurredAt: '2026-11-23T10:00:00.000Z' },
    }));
    expect(contactViewFrom(stamped)).toBeNull();
  });
});
