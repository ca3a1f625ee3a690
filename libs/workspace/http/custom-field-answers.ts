import { Nullable, Type, type Static } from '../../http/openapi/schema.js';
import { WRITE_ANSWER_PROPERTIES } from '../../http/openapi/write-answer.js';
import { CUSTOM_FIELD_TYPES } from '../custom-field-definitions.js';

const DEFINITION_PROPERTIES = {
  name: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'Technical name, unique in the workspace' }),
  label: Type.String({ description: 'What agents and customers see' }),
  type: Type.Enum(CUSTOM_FIELD_TYPES, { type: 'string' }),
  options: Nullable(Type.Array(Type.String()), { description: 'The choices of single_choice and multiple_choice; null for the other types' }),
  visibleToCustomer: Type.Boolean({ description: 'Shown to (and editable by) the customer through a self-service link' }),
};

export const CustomFieldDefinitionSchema = Type.Object(DEFINITION_PROPERTIES, {
  $id: 'CustomFieldDefinition',
  examples: [{ name: 'loyalty_level', label: 'Loyalty level', type: 'single_choice', options: ['bronze', 'silver', 'gold'], visibleToCustomer: false }],
});

export const CustomFieldDefinedSchema = Type.Object({ ...DEFINITION_PROPERTIES, ...WRITE_ANSWER_PROPERTIES }, { $id: 'CustomFieldDefined' });
export type CustomFieldDefinedAnswer = Static<typeof CustomFieldDefinedSchema>;

export const CustomFieldListSchema = Type.Object({ items: Type.Array(CustomFieldDefinitionSchema, { description: 'In the order they were defined' }) }, { $id: 'CustomFieldList' });
export type CustomFieldList = Static<typeof CustomFieldListSchema>;

export const CustomFieldArchivedSchema = Type.Object(
  { name: Type.String(), archived: Type.Literal(true), ...WRITE_ANSWER_PROPERTIES },
  { $id: 'CustomFieldArchivedAnswer' },
);
export type CustomFieldArchivedAnswer = Static<typeof CustomFieldArchivedSchema>;
