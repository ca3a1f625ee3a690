import { InvalidValuesError } from '../../eventsourcing/domain-errors.js';
import type { AssignTag, RemoveTag } from '../contact-commands.js';
import type { ContactEvent } from '../contact-events.js';
import type { ContactState } from '../contact-state.js';
import { channelOfExistingContact } from '../existing-contact.js';
import { findTag, normalizeTag } from '../../workspace/tag-name.js';

/** A tag the contact already carries, in any case, writes nothing. */
export function decideAssignTag(command: AssignTag, state: ContactState): ContactEvent[] {
  channelOfExistingContact(state, command.contactId);
  const checked = normalizeTag(command.tag);
  if (!checked.ok) throw new InvalidValuesError([{ field: 'tag', message: checked.message }]);
  return findTag(state.tags, checked.value) ? [] : [{ type: 'TagAssigned', data: { tag: checked.value } }];
}

/** Removing a tag the contact does not carry writes nothing. */
export function decideRemoveTag(command: RemoveTag, state: ContactState): ContactEvent[] {
  channelOfExistingContact(state, command.contactId);
  const carried = findTag(state.tags, command.tag);
  return carried ? [{ type: 'TagRemoved', data: { tag: carried } }] : [];
}
