import Type, { type Static } from 'typebox';
import { eventSchemasOf, isEventOf, type EventOf, type EventsOf } from '../eventsourcing/event-schemas.js';
import type { Decider } from '../eventsourcing/decider.js';
import { InvalidValuesError, NotFoundError, StateConflictError, type FieldError } from '../eventsourcing/domain-errors.js';

/**
 * The workspace's custom fields (respond.io, Engage "customer properties"): a technical name,
 * a label, a type, options for the choice types, and whether customers see (and may edit) it
 * through a self-service link. Archived fields leave contact views but stay in history; their
 * names stay taken.
 */
export const CUSTOM_FIELD_TYPES = ['number', 'text', 'word', 'single_choice', 'multiple_choice', 'location', 'date', 'time'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export const CUSTOM_FIELD_NAME = /^[a-z][a-z0-9_]{0,39}$/;
const LABEL_MAX_LENGTH = 100;
const OPTION_MAX_LENGTH = 100;
const OPTIONS_MAX = 200;

const CustomFieldDefinitionSchema = Type.Object(
  {
    name: Type.String({ pattern: CUSTOM_FIELD_NAME.source, description: 'The technical name, unique in the workspace' }),
    label: Type.String({ minLength: 1, description: 'What agents see' }),
    type: Type.Enum(CUSTOM_FIELD_TYPES, { type: 'string' }),
    options: Type.Union([Type.Array(Type.String(), { minItems: 1 }), Type.Null()], {
      description: 'The choices of `single_choice` and `multiple_choice`; null for the other types',
    }),
    visibleToCustomer: Type.Boolean({ description: 'Whether customers see (and may edit) it through a self-service link' }),
  },
  {
    additionalProperties: false,
    description: 'An owner or manager defined a custom field of the workspace',
    examples: [{ name: 'loyalty_level', label: 'Loyalty level', type: 'single_choice', options: ['gold', 'silver'], visibleToCustomer: false }],
  },
);
export type CustomFieldDefinition = Static<typeof CustomFieldDefinitionSchema>;

export type CustomFieldsCommand =
  | { type: 'DefineCustomField'; name: string; label: string; fieldType: string; options?: string[]; visibleToCustomer?: boolean }
  | { type: 'ArchiveCustomField'; name: string };

const CUSTOM_FIELDS_EVENT_DATA = {
  CustomFieldDefined: CustomFieldDefinitionSchema,
  CustomFieldArchived: Type.Object(
    { name: Type.String({ description: 'The technical name (it stays taken)' }) },
    { additionalProperties: false, description: "The custom field left contact views; its values stay in history", examples: [{ name: 'loyalty_level' }] },
  ),
};
export type CustomFieldArchived = EventOf<typeof CUSTOM_FIELDS_EVENT_DATA, 'CustomFieldArchived'>;
export type CustomFieldsEvent = EventsOf<typeof CUSTOM_FIELDS_EVENT_DATA>;

/** What the custom-field definitions publish about their events; the composition root merges it with the others'. */
export const CUSTOM_FIELDS_EVENT_SCHEMAS = eventSchemasOf(CUSTOM_FIELDS_EVENT_DATA);

export interface CustomFieldsState {
  /** Every field ever defined, by name, archived ones included. */
  definitions: ReadonlyMap<string, CustomFieldDefinition & { archived: boolean }>;
}

/** The fields contacts may hold values of: defined and not archived, in definition order. */
export function activeCustomFields(state: CustomFieldsState): CustomFieldDefinition[] {
  return [...state.definitions.values()].filter((definition) => !definition.archived).map(({ archived: _, ...definition }) => definition);
}

export const isChoiceType = (type: CustomFieldType): boolean => type === 'single_choice' || type === 'multiple_choice';

export const customFieldsDecider: Decider<CustomFieldsCommand, CustomFieldsState, CustomFieldsEvent> = {
  isEvent: isEventOf(CUSTOM_FIELDS_EVENT_SCHEMAS),
  initialState: () => ({ definitions: new Map() }),

  decide(command, state) {
    if (command.type === 'ArchiveCustomField') {
      const definition = state.definitions.get(command.name);
      if (!definition) throw new NotFoundError(`Custom field ${command.name} not found`);
      return definition.archived ? [] : [{ type: 'CustomFieldArchived', data: { name: command.name } }];
    }
    const definition = checkedDefinition(command);
    if (state.definitions.has(definition.name)) {
      throw new StateConflictError(`The custom field name ${definition.name} is taken in this workspace (archived fields keep their names)`);
    }
    return [{ type: 'CustomFieldDefined', data: definition }];
  },

  evolve(state, event) {
    if (event.type === 'CustomFieldDefined') {
      return { definitions: new Map(state.definitions).set(event.data.name, { ...event.data, archived: false }) };
    }
    if (event.type === 'CustomFieldArchived') {
      const definition = state.definitions.get(event.data.name);
      return definition ? { definitions: new Map(state.definitions).set(event.data.name, { ...definition, archived: true }) } : state;
    }
    return state;
  },
};

function checkedDefinition(command: Extract<CustomFieldsCommand, { type: 'DefineCustomField' }>): CustomFieldDefinition {
  const errors: FieldError[] = [];
  if (!CUSTOM_FIELD_NAME.test(command.name)) {
    errors.push({ field: 'name', message: 'Enter a technical name of 1 to 40 lower-case Latin letters, digits or "_", starting with a letter, without spaces, such as loyalty_level.' });
  }
  const label = command.label.trim();
  if (label.length < 1 || label.length > LABEL_MAX_LENGTH || /\p{Cc}/u.test(label)) {
    errors.push({ field: 'label', message: `Enter a label of 1 to ${LABEL_MAX_LENGTH} characters on one line.` });
  }
  const type = (CUSTOM_FIELD_TYPES as readonly string[]).includes(command.fieldType) ? (command.fieldType as CustomFieldType) : null;
  if (!type) errors.push({ field: 'type', message: `Choose one of the types ${CUSTOM_FIELD_TYPES.join(', ')}.` });

  let options: string[] | null = null;
  if (type && isChoiceType(type)) {
    options = (command.options ?? []).map((option) => option.trim());
    const valid = options.every((option) => option.length > 0 && option.length <= OPTION_MAX_LENGTH && !/\p{Cc}/u.test(option));
    if (options.length === 0 || options.length > OPTIONS_MAX || !valid || new Set(options).size !== options.length) {
      errors.push({ field: 'options', message: `Give 1 to ${OPTIONS_MAX} different options of 1 to ${OPTION_MAX_LENGTH} characters for a choice field.` });
    }
  } else if (type && command.options !== undefined) {
    errors.push({ field: 'options', message: 'Options are for the single_choice and multiple_choice types only.' });
  }
  if (errors.length > 0 || !type) throw new InvalidValuesError(errors);
  return { name: command.name, label, type, options, visibleToCustomer: command.visibleToCustomer ?? false };
}
