import { NotFoundError } from '../../eventsourcing/domain-errors.js';
import { DeciderSpecification } from '../../eventsourcing/testing/decider-spec.js';
import { contactDecider } from '../contact-decider.js';
import type { ContactEvent } from '../contact-events.js';
import { CONTACT_ID, WHATSAPP_ANN } from '../testing/contact-fixtures.js';

const spec = DeciderSpecification.for(contactDecider);
const blocked: ContactEvent = { type: 'ContactBlocked', data: {} };
const unblocked: ContactEvent = { type: 'ContactUnblocked', data: {} };
const block = { type: 'BlockContact' as const, contactId: CONTACT_ID };
const unblock = { type: 'UnblockContact' as const, contactId: CONTACT_ID };

describe('BlockContact / UnblockContact', () => {
  it('blocks a contact', () => spec.given(WHATSAPP_ANN).when(block).then([blocked]));
  it('writes nothing when the contact is blocked already', () => spec.given([...WHATSAPP_ANN, blocked]).when(block).thenNothing());
  it('unblocks a blocked contact', () => spec.given([...WHATSAPP_ANN, blocked]).when(unblock).then([unblocked]));
  it('writes nothing when unblocking a contact that is not blocked', () => spec.given(WHATSAPP_ANN).when(unblock).thenNothing());
  it('blocks again after an unblock', () => spec.given([...WHATSAPP_ANN, blocked, unblocked]).when(block).then([blocked]));
  it('refuses a contact no channel reported', () => spec.given([]).when(block).thenThrows(NotFoundError));
});
