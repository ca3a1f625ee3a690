import type { Recorded } from '../../../eventsourcing/domain-event.js';
import { contactDecider, contactStreamId, type ContactEvent } from '../../index.js';
import { channelData, CONTACT_ID, edited, registered, WORKSPACE } from '../../testing/contact-fixtures.js';
import { contactViewFrom } from './contact-view.js';
import { foldOwnView, givenValue } from './own-contact-view.js';

function recorded(events: ContactEvent[]): Recorded<ContactEvent>[] {
  return events.map((event, revision) => ({
    ...event,
    id: `e-${revision}`,
    streamId: contactStreamId(CONTACT_ID),
    revision,
    position: revision + 1,
    recordedAt: new Date(Date.UTC(2026, 11, 3, 10, revision)).toISOString(),
    metadata: {
      workspace: WORKSPACE,
      actor: { id: 'agent-7', role: 'agent' },
      source: 'agent',
      correlationId: `c-${revision}`,
      causationId: null,
      schemaVersion: 1,
      occurredAt: new Date(Date.UTC(2026, 11, 3, 10, revision)).toISOString(),
    },
  }));
}

const ANN = recorded([registered('whatsapp', '15551234567'), channelData({ name: 'ann', phone: '+15551234567' }), edited('name', 'Ann Lee')]);

describe("a read model's own fold of a contact", () => {
  it('given the events one by one, then the contact view', () => {
    const view = ANN.reduce((document, event) => ({ view: foldOwnView(document, event) }), { view: null } as { view: ReturnType<typeof foldOwnView> });
    expect(view.view).toEqual(contactViewFrom(ANN));
  });

  it('given a document of an older version holding the write model state, then its next event folds onto that state', () => {
    const [first, second, third] = ANN;
    const state = [first!, second!].reduce(contactDecider.evolve, contactDecider.initialState());
    expect(foldOwnView({ state }, third!)).toEqual(contactViewFrom(ANN));
  });

  it('when the contact is deleted, then nothing is kept', () => {
    const [deleted] = recorded([{ type: 'ContactDeleted', data: {} }]);
    expect(foldOwnView({ view: contactViewFrom(ANN) }, { ...deleted!, revision: 3, position: 4 })).toBeNull();
  });

  it('a country derived from the phone is no given value', () => {
    const view = contactViewFrom(ANN);
    expect(view?.fields.country).toMatchObject({ value: 'US', derived: true });
    expect(givenValue(view, 'country')).toBeNull();
    expect(givenValue(view, 'name')).toBe('Ann Lee');
  });
});
