import { NotFoundError } from '../eventsourcing/domain-errors.js';
import { DeciderSpecification } from '../eventsourcing/testing/decider-spec.js';
import { contactDecider } from './contact-decider.js';
import type { ContactEvent } from './contact-events.js';
import { CONTACT_ID, WHATSAPP_ANN } from './testing/contact-fixtures.js';

const spec = DeciderSpecification.for(contactDecider);
const attached = (profileId: string): ContactEvent => ({ type: 'ProfileAttached', data: { profileId } });
const detached = (profileId: string): ContactEvent => ({ type: 'ProfileDetached', data: { profileId } });
const attach = (profileId: string) => ({ type: 'AttachToProfile' as const, contactId: CONTACT_ID, profileId });
const detach = (profileId: string) => ({ type: 'DetachFromProfile' as const, contactId: CONTACT_ID, profileId });

describe('a contact attached to profiles', () => {
  it('given a contact in no profile, when attached, then ProfileAttached', () => {
    spec.given(WHATSAPP_ANN).when(attach('p-1')).then([attached('p-1')]);
  });

  it('given a contact attached to the profile, when attached again, then nothing', () => {
    spec.given([...WHATSAPP_ANN, attached('p-1')]).when(attach('p-1')).thenNothing();
  });

  it('given a contact attached elsewhere, when attached, then it moves: a detach there and an attach here', () => {
    spec.given([...WHATSAPP_ANN, attached('p-1')]).when(attach('p-2')).then([detached('p-1'), attached('p-2')]);
  });

  it('given a contact that moved, when attached back, then it moves back', () => {
    spec.given([...WHATSAPP_ANN, attached('p-1'), detached('p-1'), attached('p-2')]).when(attach('p-1')).then([detached('p-2'), attached('p-1')]);
  });

  it('given an attached contact, when detached from its profile, then ProfileDetached', () => {
    spec.given([...WHATSAPP_ANN, attached('p-1')]).when(detach('p-1')).then([detached('p-1')]);
  });

  it('refuses to detach from a profile the contact is not attached to', () => {
    spec.given([...WHATSAPP_ANN, attached('p-1')]).when(detach('p-2')).thenThrows(NotFoundError);
    spec.given([...WHATSAPP_ANN, attached('p-1'), detached('p-1')]).when(detach('p-1')).thenThrows(NotFoundError);
  });

  it('refuses an unknown contact', () => {
    spec.given([]).when(attach('p-1')).thenThrows(NotFoundError);
  });
});
