import { InvalidValuesError, NotFoundError, StateConflictError } from '../eventsourcing/domain-errors.js';
import { DeciderSpecification, withMetadata } from '../eventsourcing/testing/decider-spec.js';
import { activeCustomFields, customFieldsDecider, type CustomFieldsCommand, type CustomFieldsEvent } from './custom-field-definitions.js';

const spec = DeciderSpecification.for(customFieldsDecider);
const define = (fields: Partial<Extract<CustomFieldsCommand, { type: 'DefineCustomField' }>> = {}): CustomFieldsCommand => ({
  type: 'DefineCustomField',
  name: 'loyalty_level',
  label: 'Loyalty level',
  fieldType: 'single_choice',
  options: ['bronze', 'silver', 'gold'],
  ...fields,
});
const defined: CustomFieldsEvent = {
  type: 'CustomFieldDefined',
  data: { name: 'loyalty_level', label: 'Loyalty level', type: 'single_choice', options: ['bronze', 'silver', 'gold'], visibleToCustomer: false },
};
const errorFields = (error: InvalidValuesError) => error.errors.map((e) => e.field).join(',');

describe('custom-field definitions', () => {
  it('defines a choice field with its options, hidden from customers by default', () => {
    spec.given([]).when(define()).then([defined]);
  });

  it('defines a text field shown to customers, without options', () => {
    spec
      .given([])
      .when(define({ name: 'notes', label: ' Notes ', fieldType: 'text', options: undefined, visibleToCustomer: true }))
      .then([{ type: 'CustomFieldDefined', data: { name: 'notes', label: 'Notes', type: 'text', options: null, visibleToCustomer: true } }]);
  });

  it.each(['Loyalty', 'loyalty level', '1st', '_x', 'a'.repeat(41), ''])('refuses the technical name %j', (name) => {
    spec.given([]).when(define({ name })).thenThrows(InvalidValuesError, (e) => errorFields(e) === 'name');
  });

  it('accepts a name of 40 characters', () => {
    spec.given([]).when(define({ name: `a${'b'.repeat(39)}`, fieldType: 'number', options: undefined })).then([
      { type: 'CustomFieldDefined', data: { name: `a${'b'.repeat(39)}`, label: 'Loyalty level', type: 'number', options: null, visibleToCustomer: false } },
    ]);
  });

  it('refuses an unknown type, an empty label, and reports every bad value at once', () => {
    spec.given([]).when(define({ fieldType: 'colour', label: '  ' })).thenThrows(InvalidValuesError, (e) => errorFields(e) === 'label,type');
  });

  it.each([[[]], [['a', 'a']], [['a', ' ']], [undefined]])('refuses choice options %j', (options) => {
    spec.given([]).when(define({ options })).thenThrows(InvalidValuesError, (e) => errorFields(e) === 'options');
  });

  it('refuses options for a type that has none', () => {
    spec.given([]).when(define({ fieldType: 'date' })).thenThrows(InvalidValuesError, (e) => errorFields(e) === 'options');
  });

  it('refuses a name that is taken, also by an archived field (409)', () => {
    spec.given([defined]).when(define({ fieldType: 'text', options: undefined })).thenThrows(StateConflictError);
    spec.given([defined, { type: 'CustomFieldArchived', data: { name: 'loyalty_level' } }]).when(define()).thenThrows(StateConflictError);
  });

  it('archives a field once; an unknown field is not found', () => {
    spec.given([defined]).when({ type: 'ArchiveCustomField', name: 'loyalty_level' }).then([{ type: 'CustomFieldArchived', data: { name: 'loyalty_level' } }]);
    spec.given([defined, { type: 'CustomFieldArchived', data: { name: 'loyalty_level' } }]).when({ type: 'ArchiveCustomField', name: 'loyalty_level' }).thenNothing();
    spec.given([]).when({ type: 'ArchiveCustomField', name: 'loyalty_level' }).thenThrows(NotFoundError);
  });

  it('leaves archived fields out of the active ones', () => {
    const state = withMetadata([defined, { type: 'CustomFieldArchived', data: { name: 'loyalty_level' } } as CustomFieldsEvent]).reduce(
      customFieldsDecider.evolve,
      customFieldsDecider.initialState(),
    );
    expect(activeCustomFields(state)).toEqual([]);
  });
});
