import { NotFoundError } from '../eventsourcing/domain-errors.js';
import type { Channel } from './contact-fields.js';
import type { ContactState } from './contact-state.js';

/** The channel of a registered contact; agents cannot act on a contact no channel reported. */
export function channelOfExistingContact(state: ContactState, contactId: string): Channel {
  if (!state.exists || state.channel === null) throw new NotFoundError(`Contact ${contactId} not found`);
  return state.channel;
}
