import type { FieldError } from '../../eventsourcing/domain-errors.js';
import type { CustomFieldDefinition } from '../../workspace/custom-field-definitions.js';
import type { ContactEvent } from '../contact-events.js';
import type { ContactState } from '../contact-state.js';
import { normalizeCustomFieldValue, sameCustomFieldValue } from './custom-field-values.js';

export const customFieldPath = (name: string): string => `customFields.${name}`;

/**
 * The events of a custom-field edit, or the errors of its bad values (`customFields.<name>`):
 * unknown or archived names, values not of the field's type. Values equal to the current
 * ones give no event.
 */
export function decideCustomFieldValues(
  values: Readonly<Record<string, unknown>>,
  definitions: readonly CustomFieldDefinition[],
  state: ContactState,
): { events: ContactEvent[]; errors: FieldError[] } {
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));
  const events: ContactEvent[] = [];
  const errors: FieldError[] = [];
  for (const [name, raw] of Object.entries(values)) {
    if (raw === undefined) continue;
    const definition = byName.get(name);
    if (!definition) {
      const known = definitions.map((d) => d.name).join(', ') || 'none yet';
      errors.push({ field: customFieldPath(name), message: `Unknown custom field; the workspace's fields are ${known}.` });
      continue;
    }
    const checked = normalizeCustomFieldValue(definition, raw);
    if (!checked.ok) {
      errors.push({ field: customFieldPath(name), message: checked.message });
      continue;
    }
    if (sameCustomFieldValue(checked.value, state.customFields[name]?.value)) continue;
    events.push(
      checked.value === null
        ? { type: 'CustomFieldValueCleared', data: { name, fieldType: definition.type } }
        : { type: 'CustomFieldValueSet', data: { name, fieldType: definition.type, personal: { value: checked.value } } },
    );
  }
  return { events, errors };
}
