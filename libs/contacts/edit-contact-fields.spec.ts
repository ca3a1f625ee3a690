import { ForbiddenError, InvalidValuesError, NotFoundError } from '../eventsourcing/domain-errors.js';
import { DeciderSpecification } from '../eventsourcing/testing/decider-spec.js';
import type { EditContactFields } from './contact-commands.js';
import { contactDecider } from './contact-decider.js';
import { channelData, cleared, CONTACT_ID, edited, registered, restored, TELEGRAM_BOB, WHATSAPP_ANN } from './testing/contact-fixtures.js';

const spec = DeciderSpecification.for(contactDecider);

function edit(changes: Record<string, unknown>): EditContactFields {
  return { type: 'EditContactFields', contactId: CONTACT_ID, changes: changes as EditContactFields['changes'] };
}

const fieldsOf = (error: { errors: { field: string }[] }) => error.errors.map((e) => e.field);

describe('EditContactFields', () => {
  it('edits a field with its normalised value', () => {
    spec.given(WHATSAPP_ANN).when(edit({ name: '  Ann Lee ' })).then([edited('name', 'Ann Lee')]);
  });

  it('edits several fields at once, one event each, in field order', () => {
    spec
      .given(TELEGRAM_BOB)
      .when(edit({ language: 'pt_br', email: 'Bob@Example.COM', phone: '00 44 7700 900456', country: 'gb' }))
      .then([
        edited('phone', '+447700900456'),
        edited('email', 'Bob@example.com'),
        edited('country', 'GB'),
        edited('language', 'pt-BR'),
      ]);
  });

  it('edits a field the channel never gave', () => {
    spec.given(WHATSAPP_ANN).when(edit({ country: 'us' })).then([edited('country', 'US')]);
  });

  it('edits an edited field again', () => {
    spec.given([...WHATSAPP_ANN, edited('name', 'Ann Lee')]).when(edit({ name: 'Ann B. Lee' })).then([edited('name', 'Ann B. Lee')]);
  });

  describe('clearing', () => {
    it.each([null, ''])('clears a field given %j', (empty) => {
      spec.given(WHATSAPP_ANN).when(edit({ name: empty })).then([cleared('name')]);
    });

    it('clears an edited field', () => {
      spec.given([...TELEGRAM_BOB, edited('country', 'GB')]).when(edit({ country: null })).then([cleared('country')]);
    });

    it('writes nothing when the field is already empty', () => {
      spec.given(WHATSAPP_ANN).when(edit({ email: null, country: '' })).thenNothing();
    });

    it('writes nothing when the field is already cleared', () => {
      spec.given([...WHATSAPP_ANN, cleared('name')]).when(edit({ name: null })).thenNothing();
    });
  });

  describe('an edit that changes nothing writes nothing', () => {
    it('the channel value, entered again', () => {
      spec.given(WHATSAPP_ANN).when(edit({ name: 'Ann' })).thenNothing();
    });

    it('the same value in another format', () => {
      spec.given(TELEGRAM_BOB).when(edit({ phone: '+44 (7700) 900-123', name: ' Bob ' })).thenNothing();
    });

    it('the edited value, entered again', () => {
      spec.given([...WHATSAPP_ANN, edited('name', 'Ann Lee')]).when(edit({ name: 'Ann Lee' })).thenNothing();
    });

    it('no fields at all', () => {
      spec.given(WHATSAPP_ANN).when(edit({})).thenNothing();
    });

    it('only the fields that change are written', () => {
      spec.given(TELEGRAM_BOB).when(edit({ name: 'Bob', language: 'de' })).then([edited('language', 'de')]);
    });
  });

  it('sets a value the channel had again after a clear', () => {
    spec.given([...WHATSAPP_ANN, cleared('name')]).when(edit({ name: 'Ann' })).then([edited('name', 'Ann')]);
  });

  it('after a restore, compares with the channel value', () => {
    spec
      .given([...WHATSAPP_ANN, edited('name', 'Ann Lee'), channelData({ name: 'Annie' }), restored('name')])
      .when(edit({ name: 'Annie' }))
      .thenNothing();
  });

  describe('invalid values', () => {
    it('refuses the whole edit when one field is bad, listing it with a formatting tip', () => {
      spec
        .given(TELEGRAM_BOB)
        .when(edit({ name: 'Bob Smith', phone: '12' }))
        .thenThrows(
          InvalidValuesError,
          (e) => e.errors.length === 1 && e.errors[0]!.field === 'phone' && e.errors[0]!.message.includes('country code'),
        );
    });

    it('lists every bad field', () => {
      spec
        .given(TELEGRAM_BOB)
        .when(edit({ name: '!!', phone: 'call me', email: 'bob@x', country: 'Britain', language: 'english language' }))
        .thenThrows(InvalidValuesError, (e) => fieldsOf(e).join() === 'name,phone,email,country,language');
    });

    it('refuses unknown field names along with bad values', () => {
      spec
        .given(TELEGRAM_BOB)
        .when(edit({ nickname: 'Bobby', name: '1' }))
        .thenThrows(InvalidValuesError, (e) => fieldsOf(e).join() === 'nickname,name');
    });

    it('refuses a value that is not text', () => {
      spec.given(TELEGRAM_BOB).when(edit({ name: 42 })).thenThrows(InvalidValuesError, (e) => fieldsOf(e).join() === 'name');
    });
  });

  describe('locked fields', () => {
    it.each([
      ['whatsapp', 'phone', '+15550000000'],
      ['viber', 'phone', '+15550000000'],
      ['email', 'email', 'other@example.com'],
    ] as const)('a %s contact refuses edits of its %s', (channel, field, value) => {
      spec
        .given([registered(channel, 'id-1')])
        .when(edit({ name: 'Ann Lee', [field]: value }))
        .thenThrows(ForbiddenError, (e) => fieldsOf(e).join() === field);
    });

    it.each(['whatsapp', 'email', 'telegram'] as const)('a %s contact refuses edits of its avatar', (channel) => {
      spec
        .given([registered(channel, 'id-1')])
        .when(edit({ avatarUrl: 'https://cdn.example.com/b.png' }))
        .thenThrows(ForbiddenError, (e) => fieldsOf(e).join() === 'avatarUrl' && /avatar/i.test(e.errors[0]!.message));
    });

    it('refuses clearing a locked field too', () => {
      spec.given(WHATSAPP_ANN).when(edit({ phone: null })).thenThrows(ForbiddenError, (e) => fieldsOf(e).join() === 'phone');
    });

    it('refuses a locked field before checking the other values', () => {
      spec
        .given(WHATSAPP_ANN)
        .when(edit({ name: '?', phone: '+15550000000' }))
        .thenThrows(ForbiddenError, (e) => fieldsOf(e).join() === 'phone');
    });

    it.each(['telegram', 'webchat', 'sms', 'instagram', 'messenger', 'email'] as const)('a %s contact may edit its phone', (channel) => {
      spec.given([registered(channel, 'id-1')]).when(edit({ phone: '+1 555 123 4567' })).then([edited('phone', '+15551234567')]);
    });

    it.each(['whatsapp', 'viber', 'telegram', 'webchat', 'sms', 'instagram', 'messenger'] as const)(
      'a %s contact may edit its e-mail',
      (channel) => {
        spec.given([registered(channel, 'id-1')]).when(edit({ email: 'ann@example.com' })).then([edited('email', 'ann@example.com')]);
      },
    );
  });

  it('refuses to edit a contact that was never registered', () => {
    spec.given([]).when(edit({ name: 'Ann' })).thenThrows(NotFoundError);
  });
});
