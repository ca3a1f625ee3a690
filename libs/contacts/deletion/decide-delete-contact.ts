import type { DeleteContact } from '../contact-commands.js';
import type { ContactEvent } from '../contact-events.js';
import type { ContactState } from '../contact-state.js';
import { channelOfExistingContact } from '../existing-contact.js';

/** A deleted contact no longer exists: deleting it again is not found, like any other command on it. */
export function decideDeleteContact(command: DeleteContact, state: ContactState): ContactEvent[] {
  channelOfExistingContact(state, command.contactId);
  return [{ type: 'ContactDeleted', data: {} }];
}
