import { InvalidValuesError, NotFoundError } from '../../eventsourcing/domain-errors.js';
import { DeciderSpecification } from '../../eventsourcing/testing/decider-spec.js';
import { contactDecider } from '../contact-decider.js';
import type { ContactEvent } from '../contact-events.js';
import { CONTACT_ID, WHATSAPP_ANN } from '../testing/contact-fixtures.js';

const spec = DeciderSpecification.for(contactDecider);
const assigned = (tag: string): ContactEvent => ({ type: 'TagAssigned', data: { tag } });
const removed = (tag: string): ContactEvent => ({ type: 'TagRemoved', data: { tag } });
const assign = (tag: string) => ({ type: 'AssignTag' as const, contactId: CONTACT_ID, tag });
const remove = (tag: string) => ({ type: 'RemoveTag' as const, contactId: CONTACT_ID, tag });

describe('AssignTag', () => {
  it('assigns a tag, trimmed', () => {
    spec.given(WHATSAPP_ANN).when(assign('  VIP ')).then([assigned('VIP')]);
  });

  it('writes nothing when the contact carries the tag, in any case', () => {
    spec.given([...WHATSAPP_ANN, assigned('VIP')]).when(assign('vip')).thenNothing();
  });

  it('assigns a second tag', () => {
    spec.given([...WHATSAPP_ANN, assigned('VIP')]).when(assign('lead')).then([assigned('lead')]);
  });

  it('assigns a tag again after it was removed', () => {
    spec.given([...WHATSAPP_ANN, assigned('VIP'), removed('VIP')]).when(assign('VIP')).then([assigned('VIP')]);
  });

  it.each(['', '   ', 'x'.repeat(65), 'two\nlines'])('refuses %j with a formatting tip for the tag', (tag) => {
    spec.given(WHATSAPP_ANN).when(assign(tag)).thenThrows(InvalidValuesError, (e) => e.errors[0]?.field === 'tag' && /1 to 64 characters/.test(e.errors[0].message));
  });

  it('accepts 64 characters', () => {
    spec.given(WHATSAPP_ANN).when(assign('é'.repeat(64))).then([assigned('é'.repeat(64))]);
  });

  it('refuses a contact no channel reported', () => {
    spec.given([]).when(assign('VIP')).thenThrows(NotFoundError);
  });
});

describe('RemoveTag', () => {
  it('removes the tag whatever the case it is given in, by the spelling the contact carries', () => {
    spec.given([...WHATSAPP_ANN, assigned('VIP')]).when(remove('vip')).then([removed('VIP')]);
  });

  it('writes nothing when the contact does not carry the tag', () => {
    spec.given([...WHATSAPP_ANN, assigned('VIP'), removed('VIP')]).when(remove('VIP')).thenNothing();
  });

  it('refuses a contact no channel reported', () => {
    spec.given([]).when(remove('VIP')).thenThrows(NotFoundError);
  });
});
