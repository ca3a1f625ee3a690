import { InvalidValuesError, NotFoundError } from '../eventsourcing/domain-errors.js';
import { DeciderSpecification } from '../eventsourcing/testing/decider-spec.js';
import type { RestoreFromChannel } from './contact-commands.js';
import { contactDecider } from './contact-decider.js';
import { channelData, cleared, CONTACT_ID, edited, restored, TELEGRAM_BOB } from './testing/contact-fixtures.js';

const spec = DeciderSpecification.for(contactDecider);

function restore(fields?: string[]): RestoreFromChannel {
  return { type: 'RestoreFromChannel', contactId: CONTACT_ID, ...(fields && { fields: fields as RestoreFromChannel['fields'] }) };
}

const BOB_EDITED = [...TELEGRAM_BOB, edited('name', 'Robert'), cleared('language'), edited('country', 'GB')];

describe('RestoreFromChannel', () => {
  it('restores every edited field when no fields are given, in field order', () => {
    spec.given(BOB_EDITED).when(restore()).then([restored('name', 'country', 'language')]);
  });

  it('restores only the given fields', () => {
    spec.given(BOB_EDITED).when(restore(['language', 'name'])).then([restored('name', 'language')]);
  });

  it('lists only the given fields that were edited', () => {
    spec.given(BOB_EDITED).when(restore(['name', 'phone', 'email'])).then([restored('name')]);
  });

  it('writes nothing when no field was edited', () => {
    spec.given(TELEGRAM_BOB).when(restore()).thenNothing();
  });

  it('writes nothing when the given fields were not edited', () => {
    spec.given(BOB_EDITED).when(restore(['phone'])).thenNothing();
  });

  it('writes nothing for an empty list', () => {
    spec.given(BOB_EDITED).when(restore([])).thenNothing();
  });

  it('writes nothing when the fields were restored already', () => {
    spec.given([...BOB_EDITED, restored('name', 'country', 'language')]).when(restore()).thenNothing();
  });

  it('restores a field edited again after new channel data', () => {
    spec.given([...BOB_EDITED, channelData({ name: 'Bobby' })]).when(restore(['name'])).then([restored('name')]);
  });

  it.each([[['nickname']], [['name', 'avatarUrl']]])('refuses unknown or non-editable field names %j', (fields) => {
    spec
      .given(BOB_EDITED)
      .when(restore(fields))
      .thenThrows(InvalidValuesError, (e) => e.errors.map((x) => x.field).join() === fields.filter((f) => f !== 'name').join());
  });

  it('refuses to restore a contact that was never registered', () => {
    spec.given([]).when(restore()).thenThrows(NotFoundError);
  });
});
