import type { Decider } from '../decider.js';
import type { ContactCommand } from './contact-commands.js';
import type { ContactEvent } from './contact-events.js';
import { evolveContact, initialContactState, type ContactState } from './contact-state.js';
import { decideEditContactFields } from './decide-edit-contact-fields.js';
import { decideReportChannelContact } from './decide-report-channel-contact.js';
import { decideRestoreFromChannel } from './decide-restore-from-channel.js';

export function decideContact(command: ContactCommand, state: ContactState): ContactEvent[] {
  switch (command.type) {
    case 'ReportChannelContact':
      return decideReportChannelContact(command, state);
    case 'EditContactFields':
      return decideEditContactFields(command, state);
    case 'RestoreFromChannel':
      return decideRestoreFromChannel(command, state);
  }
}

/** The contact aggregate, stream `contact-<id>`. Permissions are checked before, by the application. */
export const contactDecider: Decider<ContactCommand, ContactState, ContactEvent> = {
  decide: decideContact,
  evolve: evolveContact,
  initialState: initialContactState,
};
