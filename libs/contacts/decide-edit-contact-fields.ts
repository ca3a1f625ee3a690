import { ForbiddenError, InvalidValuesError, type FieldError } from '../eventsourcing/domain-errors.js';
import { EDITABLE_FIELDS, isContactField, isEditableField, isLocked, type ContactField, type EditableField } from './contact-fields.js';
import type { EditContactFields } from './contact-commands.js';
import type { ContactEvent } from './contact-events.js';
import { effectiveValue, type ContactState } from './contact-state.js';
import { channelOfExistingContact } from './existing-contact.js';
import { lockedFieldMessage, UNKNOWN_FIELD_MESSAGE } from './field-errors.js';
import { normalizeField } from './field-rules.js';
import { decideCustomFieldValues } from './custom-fields/decide-custom-field-values.js';

/**
 * Locked fields refuse the edit (403); then every value is checked and all bad ones are
 * reported at once (422); only then are events written, one per field whose effective value
 * changes, in field order, then one per custom field whose value changes.
 */
export function decideEditContactFields(command: EditContactFields, state: ContactState): ContactEvent[] {
  const channel = channelOfExistingContact(state, command.contactId);
  const changes = (Object.entries(command.changes) as [string, unknown][]).filter(([, raw]) => raw !== undefined);

  const locked = changes
    .map(([field]) => field)
    .filter((field): field is ContactField => isContactField(field) && isLocked(channel, field))
    .map((field) => ({ field, message: lockedFieldMessage(channel, field) }));
  if (locked.length > 0) {
    throw new ForbiddenError(`Locked fields cannot be edited: ${locked.map((e) => e.field).join(', ')}`, locked);
  }

  const errors: FieldError[] = [];
  const wanted = new Map<EditableField, string | null>();
  for (const [field, raw] of changes) {
    if (!isEditableField(field)) errors.push({ field, message: UNKNOWN_FIELD_MESSAGE });
    else if (raw === null || raw === '') wanted.set(field, null);
    else if (typeof raw !== 'string') errors.push({ field, message: 'Enter text, or null to clear the field.' });
    else {
      const checked = normalizeField(field, raw);
      if (checked.ok) wanted.set(field, checked.value);
      else errors.push({ field, message: checked.message });
    }
  }
  const custom = decideCustomFieldValues(command.customFields ?? {}, command.definitions ?? [], state);
  errors.push(...custom.errors);
  if (errors.length > 0) throw new InvalidValuesError(errors);

  const fieldEvents = EDITABLE_FIELDS.flatMap((field): ContactEvent[] => {
    if (!wanted.has(field)) return [];
    const value = wanted.get(field) ?? null;
    if (value === effectiveValue(state.fields[field])) return [];
    return value === null
      ? [{ type: 'ContactFieldCleared', data: { field } }]
      : [{ type: 'ContactFieldEdited', data: { field, personal: { value } } }];
  });
  return [...fieldEvents, ...custom.events];
}
