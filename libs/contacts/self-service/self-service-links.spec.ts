import { NotFoundError } from '../../eventsourcing/domain-errors.js';
import { DeciderSpecification, withMetadata } from '../../eventsourcing/testing/decider-spec.js';
import { contactDecider } from '../contact-decider.js';
import type { ContactEvent } from '../contact-events.js';
import { evolveContact, initialContactState } from '../contact-state.js';
import { CONTACT_ID, WHATSAPP_ANN } from '../testing/contact-fixtures.js';
import { isLinkActive } from './decide-self-service-links.js';

const spec = DeciderSpecification.for(contactDecider);
const issued: ContactEvent = { type: 'SelfServiceLinkIssued', data: { linkId: 'h1', expiresAt: '2026-11-24T10:00:00.000Z' } };
const revoked: ContactEvent = { type: 'SelfServiceLinkRevoked', data: { linkId: 'h1' } };
const stateOf = (events: ContactEvent[]) => withMetadata(events).reduce(evolveContact, initialContactState());

describe('self-service links', () => {
  it('issues a link for an existing contact', () => {
    spec.given(WHATSAPP_ANN).when({ type: 'IssueSelfServiceLink', contactId: CONTACT_ID, linkId: 'h1', expiresAt: '2026-11-24T10:00:00.000Z' }).then([issued]);
    spec.given([]).when({ type: 'IssueSelfServiceLink', contactId: CONTACT_ID, linkId: 'h1', expiresAt: '2026-11-24T10:00:00.000Z' }).thenThrows(NotFoundError);
  });

  it('revokes a link once; an unknown link is not found', () => {
    spec.given([...WHATSAPP_ANN, issued]).when({ type: 'RevokeSelfServiceLink', contactId: CONTACT_ID, linkId: 'h1' }).then([revoked]);
    spec.given([...WHATSAPP_ANN, issued, revoked]).when({ type: 'RevokeSelfServiceLink', contactId: CONTACT_ID, linkId: 'h1' }).thenNothing();
    spec.given(WHATSAPP_ANN).when({ type: 'RevokeSelfServiceLink', contactId: CONTACT_ID, linkId: 'h2' }).thenThrows(NotFoundError);
  });

  it('opens the contact until it expires or is revoked, and never after a deletion', () => {
    const before = new Date('2026-11-24T09:59:59.000Z');
    expect(isLinkActive(stateOf([...WHATSAPP_ANN, issued]), 'h1', before)).toBe(true);
    expect(isLinkActive(stateOf([...WHATSAPP_ANN, issued]), 'h1', new Date('2026-11-24T10:00:00.000Z'))).toBe(false);
    expect(isLinkActive(stateOf([...WHATSAPP_ANN, issued]), 'h2', before)).toBe(false);
    expect(isLinkActive(stateOf([...WHATSAPP_ANN, issued, revoked]), 'h1', before)).toBe(false);
    expect(isLinkActive(stateOf([...WHATSAPP_ANN, issued, { type: 'ContactDeleted', data: {} }]), 'h1', before)).toBe(false);
  });
});
