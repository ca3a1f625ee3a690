import Type, { type Static } from 'typebox';
import { Personal, type EventsOf } from '../../eventsourcing/event-schemas.js';
import { CUSTOM_FIELD_TYPES } from '../../workspace/custom-field-definitions.js';

export const LocationSchema = Type.Object(
  { lat: Type.Number({ minimum: -90, maximum: 90 }), lng: Type.Number({ minimum: -180, maximum: 180 }), address: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

/** A custom field's value by its type: number, text/word/choice/date/time (string), multiple choice (strings), location. */
export const CustomFieldValueSchema = Type.Union([Type.Number(), Type.String(), Type.Array(Type.String()), LocationSchema]);
export type CustomFieldValue = Static<typeof CustomFieldValueSchema>;

const Name = Type.String({ description: "The custom field's technical name" });
const FieldType = Type.Enum(CUSTOM_FIELD_TYPES, { type: 'string', description: "The field's type when the value was set" });

export const CUSTOM_FIELD_VALUE_EVENT_DATA = {
  CustomFieldValueSet: Type.Object(
    { name: Name, fieldType: FieldType, personal: Personal({ value: CustomFieldValueSchema }) },
    {
      additionalProperties: false,
      description: "A custom field of the contact got a value (personal data, encrypted with the contact's key)",
      examples: [{ name: 'loyalty_level', fieldType: 'single_choice', personal: { value: 'gold' } }],
    },
  ),
  CustomFieldValueCleared: Type.Object(
    { name: Name, fieldType: FieldType },
    { additionalProperties: false, description: 'A custom field of the contact was emptied', examples: [{ name: 'loyalty_level', fieldType: 'single_choice' }] },
  ),
};

export type CustomFieldValueEvent = EventsOf<typeof CUSTOM_FIELD_VALUE_EVENT_DATA>;
