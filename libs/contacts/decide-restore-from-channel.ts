import { InvalidValuesError } from '../eventsourcing/domain-errors.js';
import { EDITABLE_FIELDS, isEditableField } from './contact-fields.js';
import type { RestoreFromChannel } from './contact-commands.js';
import type { ContactEvent } from './contact-events.js';
import type { ContactState } from './contact-state.js';
import { channelOfExistingContact } from './existing-contact.js';
import { UNKNOWN_FIELD_MESSAGE } from './field-errors.js';

/** Drops the edited values of the requested fields; fields that were not edited are left out. */
export function decideRestoreFromChannel(command: RestoreFromChannel, state: ContactState): ContactEvent[] {
  channelOfExistingContact(state, command.contactId);
  const requested: readonly string[] = command.fields ?? EDITABLE_FIELDS;
  const unknown = requested.filter((field) => !isEditableField(field));
  if (unknown.length > 0) throw new InvalidValuesError(unknown.map((field) => ({ field, message: UNKNOWN_FIELD_MESSAGE })));

  const fields = EDITABLE_FIELDS.filter((field) => requested.includes(field) && state.fields[field].edited !== null);
  return fields.length > 0 ? [{ type: 'ContactRestoredFromChannel', data: { fields } }] : [];
}
