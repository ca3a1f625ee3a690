import type { Decider } from '../eventsourcing/decider.js';
import type { ContactCommand } from './contact-commands.js';
import { isContactEvent, type ContactEvent } from './contact-events.js';
import { evolveContact, initialContactState, type ContactState } from './contact-state.js';
import { decideEditContactFields } from './decide-edit-contact-fields.js';
import { decideReportChannelContact } from './decide-report-channel-contact.js';
import { decideRestoreFromChannel } from './decide-restore-from-channel.js';
import { decideAssignTag, decideRemoveTag } from './tags/decide-tags.js';
import { decideBlockContact, decideUnblockContact } from './blocking/decide-blocking.js';
import { decideDeleteContact } from './deletion/decide-delete-contact.js';
import { decideIssueSelfServiceLink, decideRevokeSelfServiceLink } from './self-service/decide-self-service-links.js';
import { decideProfileLink } from './profile-link.js';

export function decideContact(command: ContactCommand, state: ContactState): ContactEvent[] {
  switch (command.type) {
    case 'ReportChannelContact':
      return decideReportChannelContact(command, state);
    case 'EditContactFields':
      return decideEditContactFields(command, state);
    case 'RestoreFromChannel':
      return decideRestoreFromChannel(command, state);
    case 'AssignTag':
      return decideAssignTag(command, state);
    case 'RemoveTag':
      return decideRemoveTag(command, state);
    case 'BlockContact':
      return decideBlockContact(command, state);
    case 'UnblockContact':
      return decideUnblockContact(command, state);
    case 'DeleteContact':
      return decideDeleteContact(command, state);
    case 'IssueSelfServiceLink':
      return decideIssueSelfServiceLink(command, state);
    case 'RevokeSelfServiceLink':
      return decideRevokeSelfServiceLink(command, state);
    case 'AttachToProfile':
    case 'DetachFromProfile':
      return decideProfileLink(command, state);
  }
}

/** The contact aggregate, stream `contact-<id>`. Permissions are checked before, by the application. */
export const contactDecider: Decider<ContactCommand, ContactState, ContactEvent> = {
  decide: decideContact,
  evolve: evolveContact,
  initialState: initialContactState,
  isEvent: isContactEvent,
  snapshotSchema: 'contact-state.v1',
};
