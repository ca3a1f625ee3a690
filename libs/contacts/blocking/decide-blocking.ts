import type { BlockContact, UnblockContact } from '../contact-commands.js';
import type { ContactEvent } from '../contact-events.js';
import type { ContactState } from '../contact-state.js';
import { channelOfExistingContact } from '../existing-contact.js';

/** Blocking a blocked contact (or unblocking an unblocked one) writes nothing. */
export function decideBlockContact(command: BlockContact, state: ContactState): ContactEvent[] {
  channelOfExistingContact(state, command.contactId);
  return state.blocked ? [] : [{ type: 'ContactBlocked', data: {} }];
}

export function decideUnblockContact(command: UnblockContact, state: ContactState): ContactEvent[] {
  channelOfExistingContact(state, command.contactId);
  return state.blocked ? [{ type: 'ContactUnblocked', data: {} }] : [];
}
