import { EDITABLE_FIELDS, type Channel, type ContactField } from './contact-fields.js';

export const UNKNOWN_FIELD_MESSAGE = `Unknown field; the editable fields are ${EDITABLE_FIELDS.join(', ')}.`;

export function lockedFieldMessage(channel: Channel, field: ContactField): string {
  return field === 'avatarUrl'
    ? 'The avatar comes from the channel and cannot be edited.'
    : `The ${field} identifies the contact on ${channel} and cannot be edited.`;
}
