import type { ContactField } from './contact-fields.js';
import type { ReportChannelContact } from './contact-commands.js';
import type { ChannelValues, ContactEvent } from './contact-events.js';
import type { ContactState } from './contact-state.js';
import { ContactDeletedError } from './deletion/contact-deleted-error.js';
import { reportedChannelValues } from './channel-values.js';
import { channelDataReceived } from './channel-data-received.js';

/** Registers the contact on first sight, then records only the channel values that changed. */
export function decideReportChannelContact(command: ReportChannelContact, state: ContactState): ContactEvent[] {
  if (state.deleted) throw new ContactDeletedError(command.contactId);
  const reported = reportedChannelValues(command.channel, command.channelContactId, command.values);
  const changed: ChannelValues = {};
  for (const [field, value] of Object.entries(reported) as [ContactField, string | null][]) {
    if (state.fields[field].channelValue !== value) changed[field] = value;
  }
  const events: ContactEvent[] = [];
  if (!state.exists) {
    const { contactId, workspace, channel, channelContactId } = command;
    events.push({ type: 'ContactRegistered', data: { contactId, workspace, channel, personal: { channelContactId } } });
  }
  if (Object.keys(changed).length > 0) {
    events.push(channelDataReceived(changed));
  }
  return events;
}
