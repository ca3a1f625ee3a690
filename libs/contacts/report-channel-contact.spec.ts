import { DeciderSpecification } from '../eventsourcing/testing/decider-spec.js';
import type { ReportChannelContact } from './contact-commands.js';
import { contactDecider } from './contact-decider.js';
import type { Channel } from './contact-fields.js';
import type { ChannelValues } from './contact-events.js';
import { channelData, cleared, CONTACT_ID, edited, registered, restored, WHATSAPP_ANN, WORKSPACE } from './testing/contact-fixtures.js';

const spec = DeciderSpecification.for(contactDecider);

function report(channel: Channel, channelContactId: string, values: ChannelValues = {}): ReportChannelContact {
  return { type: 'ReportChannelContact', contactId: CONTACT_ID, workspace: WORKSPACE, channel, channelContactId, values };
}

describe('ReportChannelContact', () => {
  describe('on a new contact', () => {
    it('registers the contact, then records the values the channel gives', () => {
      spec
        .given([])
        .when(report('telegram', '987654321', { name: 'Bob', language: 'en' }))
        .then([registered('telegram', '987654321'), channelData({ name: 'Bob', language: 'en' })]);
    });

    it('registers the contact alone when the channel gives no values', () => {
      spec.given([]).when(report('webchat', 'visitor-1')).then([registered('webchat', 'visitor-1')]);
    });

    it('registers the contact alone when the channel gives only empty values', () => {
      spec.given([]).when(report('webchat', 'visitor-1', { name: '  ', email: null })).then([registered('webchat', 'visitor-1')]);
    });

    it.each(['whatsapp', 'viber', 'sms'] as Channel[])(
      'a %s contact gets the channel contact id as its phone, in E.164',
      (channel) => {
        spec
          .given([])
          .when(report(channel, '15551234567', { name: 'Ann' }))
          .then([registered(channel, '15551234567'), channelData({ name: 'Ann', phone: '+15551234567' })]);
      },
    );

    it('an E-mail contact gets the channel contact id as its e-mail', () => {
      spec
        .given([])
        .when(report('email', 'ann@example.com'))
        .then([registered('email', 'ann@example.com'), channelData({ email: 'ann@example.com' })]);
    });

    it('keeps the phone the channel sends over the channel contact id', () => {
      spec
        .given([])
        .when(report('whatsapp', '15551234567', { phone: '+1 (555) 123-4567' }))
        .then([registered('whatsapp', '15551234567'), channelData({ phone: '+15551234567' })]);
    });

    it('keeps the values as the channel gives them, only trimmed; phones in E.164 when they parse', () => {
      spec
        .given([])
        .when(report('telegram', '42', { name: '  ann  ', phone: '0044 20 7946 0958', email: 'Not An Email', country: 'gb' }))
        .then([
          registered('telegram', '42'),
          channelData({ name: 'ann', phone: '+442079460958', email: 'Not An Email', country: 'gb' }),
        ]);
    });

    it('keeps a phone that does not parse as given', () => {
      spec
        .given([])
        .when(report('telegram', '42', { phone: 'ask reception' }))
        .then([registered('telegram', '42'), channelData({ phone: 'ask reception' })]);
    });

    it('records the avatar the channel gives', () => {
      spec
        .given([])
        .when(report('instagram', 'ig-1', { avatarUrl: 'https://cdn.example.com/a.png' }))
        .then([registered('instagram', 'ig-1'), channelData({ avatarUrl: 'https://cdn.example.com/a.png' })]);
    });
  });

  describe('on an existing contact', () => {
    it('records only the values that changed', () => {
      spec
        .given(WHATSAPP_ANN)
        .when(report('whatsapp', '15551234567', { name: 'Ann', country: 'US' }))
        .then([channelData({ country: 'US' })]);
    });

    it('writes nothing when nothing changed', () => {
      spec.given(WHATSAPP_ANN).when(report('whatsapp', '15551234567', { name: ' Ann ', phone: '+1 555 123 4567' })).thenNothing();
    });

    it('leaves fields the channel does not mention as they are', () => {
      spec.given(WHATSAPP_ANN).when(report('whatsapp', '15551234567', {})).thenNothing();
    });

    it('records that the channel no longer gives a value', () => {
      spec.given(WHATSAPP_ANN).when(report('whatsapp', '15551234567', { name: '' })).then([channelData({ name: null })]);
    });

    it('updates the channel value beside an edited value, which stays', () => {
      spec
        .given([...WHATSAPP_ANN, edited('name', 'Ann Lee')])
        .when(report('whatsapp', '15551234567', { name: 'Annie' }))
        .then([channelData({ name: 'Annie' })]);
    });

    it('updates the channel value beside a cleared value', () => {
      spec
        .given([...WHATSAPP_ANN, cleared('name')])
        .when(report('whatsapp', '15551234567', { name: 'Annie' }))
        .then([channelData({ name: 'Annie' })]);
    });

    it('compares with the latest channel value, not the edited one', () => {
      spec
        .given([...WHATSAPP_ANN, edited('name', 'Annie')])
        .when(report('whatsapp', '15551234567', { name: 'Ann' }))
        .thenNothing();
    });

    it('after a restore, compares with the channel value that shows again', () => {
      spec
        .given([...WHATSAPP_ANN, edited('name', 'Ann Lee'), channelData({ name: 'Annie' }), restored('name')])
        .when(report('whatsapp', '15551234567', { name: 'Annie' }))
        .thenNothing();
    });
  });
});
