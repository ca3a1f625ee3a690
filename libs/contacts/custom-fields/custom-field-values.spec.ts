import { InvalidValuesError } from '../../eventsourcing/domain-errors.js';
import { DeciderSpecification } from '../../eventsourcing/testing/decider-spec.js';
import type { CustomFieldDefinition } from '../../workspace/custom-field-definitions.js';
import type { EditContactFields } from '../contact-commands.js';
import { contactDecider } from '../contact-decider.js';
import type { ContactEvent } from '../contact-events.js';
import { CONTACT_ID, edited, WHATSAPP_ANN } from '../testing/contact-fixtures.js';

const field = (name: string, type: CustomFieldDefinition['type'], options: string[] | null = null): CustomFieldDefinition => ({
  name,
  label: name,
  type,
  options,
  visibleToCustomer: false,
});
const DEFINITIONS = [
  field('visits', 'number'),
  field('notes', 'text'),
  field('code', 'word'),
  field('level', 'single_choice', ['bronze', 'silver', 'gold']),
  field('colours', 'multiple_choice', ['red', 'green', 'blue']),
  field('home', 'location'),
  field('birthday', 'date'),
  field('call_after', 'time'),
];
const typeOf = (name: string) => DEFINITIONS.find((d) => d.name === name)!.type;

const spec = DeciderSpecification.for(contactDecider);
const edit = (customFields: Record<string, unknown>, changes: Record<string, string | null> = {}): EditContactFields => ({
  type: 'EditContactFields',
  contactId: CONTACT_ID,
  changes,
  customFields,
  definitions: DEFINITIONS,
});
const set = (name: string, value: unknown): ContactEvent => ({ type: 'CustomFieldValueSet', data: { name, fieldType: typeOf(name), personal: { value } } as never });
const cleared = (name: string): ContactEvent => ({ type: 'CustomFieldValueCleared', data: { name, fieldType: typeOf(name) } });

describe('custom-field values (EditContactFields with customFields)', () => {
  it.each<[string, unknown, unknown]>([
    ['visits', 3.5, 3.5],
    ['visits', 0, 0],
    ['notes', 'Champ de Mars, 5 Av. Anatole France', 'Champ de Mars, 5 Av. Anatole France'],
    ['code', ' ClassOf2023 ', 'ClassOf2023'],
    ['level', 'Gold', 'gold'],
    ['colours', ['blue', 'red', 'blue'], ['red', 'blue']],
    ['home', { lat: 48.8584, lng: 2.2945, address: 'Eiffel Tower' }, { lat: 48.8584, lng: 2.2945, address: 'Eiffel Tower' }],
    ['home', { lat: -90, lng: 180 }, { lat: -90, lng: 180 }],
    ['birthday', '2024-02-29', '2024-02-29'],
    ['call_after', '23:59', '23:59'],
  ])('sets %s to %j, stored as %j', (name, raw, stored) => {
    spec.given(WHATSAPP_ANN).when(edit({ [name]: raw })).then([set(name, stored)]);
  });

  it.each<[string, unknown, RegExp]>([
    ['visits', '3', /Enter a number/],
    ['notes', 'x'.repeat(2001), /at most 2,000 characters/],
    ['notes', 42, /Enter text/],
    ['code', 'two words', /one word/],
    ['code', 'x'.repeat(101), /one word of at most 100/],
    ['level', 'platinum', /Choose one of: bronze, silver, gold/],
    ['colours', 'red', /Choose a list of options among: red, green, blue/],
    ['colours', ['red', 'pink'], /Choose a list/],
    ['home', { lat: 91, lng: 0 }, /lat.*-90 to 90/],
    ['home', { lat: 0, lng: 0, city: 'Paris' }, /Enter a location/],
    ['home', 'Paris', /Enter a location/],
    ['birthday', '2023-02-29', /YYYY-MM-DD/],
    ['birthday', '23-11-2026', /YYYY-MM-DD/],
    ['call_after', '24:00', /HH:MM on the 24-hour clock/],
    ['call_after', '9:30', /HH:MM/],
  ])('refuses %s = %j with a formatting tip at customFields.<name>', (name, raw, tip) => {
    spec
      .given(WHATSAPP_ANN)
      .when(edit({ [name]: raw }))
      .thenThrows(InvalidValuesError, (e) => e.errors.length === 1 && e.errors[0]!.field === `customFields.${name}` && tip.test(e.errors[0]!.message));
  });

  it('refuses an unknown custom field, naming the ones there are', () => {
    spec
      .given(WHATSAPP_ANN)
      .when(edit({ shoe_size: 42 }))
      .thenThrows(InvalidValuesError, (e) => e.errors[0]!.field === 'customFields.shoe_size' && /visits, notes/.test(e.errors[0]!.message));
  });

  it('checks contact fields and custom fields together: one bad value refuses the whole edit', () => {
    spec
      .given(WHATSAPP_ANN)
      .when(edit({ visits: 'many' }, { name: 'x' }))
      .thenThrows(InvalidValuesError, (e) => e.errors.map((error) => error.field).join() === 'name,customFields.visits');
  });

  it('edits contact fields and custom fields at once, contact fields first', () => {
    spec.given(WHATSAPP_ANN).when(edit({ visits: 2 }, { name: 'Ann Lee' })).then([edited('name', 'Ann Lee'), set('visits', 2)]);
  });

  it('writes nothing for the current value, and clears with null, "" or []', () => {
    spec.given([...WHATSAPP_ANN, set('colours', ['red'])]).when(edit({ colours: ['red'] })).thenNothing();
    spec.given([...WHATSAPP_ANN, set('colours', ['red'])]).when(edit({ colours: [] })).then([cleared('colours')]);
    spec.given([...WHATSAPP_ANN, set('notes', 'hi')]).when(edit({ notes: '' })).then([cleared('notes')]);
    spec.given([...WHATSAPP_ANN, set('visits', 1)]).when(edit({ visits: null })).then([cleared('visits')]);
    spec.given(WHATSAPP_ANN).when(edit({ visits: null })).thenNothing();
  });
});
