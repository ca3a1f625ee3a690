import type { CustomFieldType } from '../../workspace/custom-field-definitions.js';
import type { CustomFieldValue } from './custom-field-values.js';

/** A custom field's value on the contact; the value is personal data (encrypted with the contact's key). */
export type CustomFieldValueSet = {
  type: 'CustomFieldValueSet';
  data: { name: string; fieldType: CustomFieldType; personal: { value: CustomFieldValue } };
};

export type CustomFieldValueCleared = { type: 'CustomFieldValueCleared'; data: { name: string; fieldType: CustomFieldType } };

export type CustomFieldValueEvent = CustomFieldValueSet | CustomFieldValueCleared;
