import type { Channel, EditableField } from './contact-fields.js';
import type { ChannelValues } from './contact-events.js';

/** A channel connector reports a contact and the values the channel has for it. */
export type ReportChannelContact = {
  type: 'ReportChannelContact';
  contactId: string;
  workspace: string;
  channel: Channel;
  channelContactId: string;
  values: ChannelValues;
};

/**
 * An agent (or customer) edits fields; `null` or `""` clears one. Field names come from the
 * request as they are, so unknown names reach the decider, which refuses them.
 */
export type EditContactFields = {
  type: 'EditContactFields';
  contactId: string;
  changes: Partial<Record<EditableField, string | null>>;
};

/** Drops the edited values of the given fields (all when absent): the channel's values show again. */
export type RestoreFromChannel = {
  type: 'RestoreFromChannel';
  contactId: string;
  fields?: EditableField[];
};

export type ContactCommand = ReportChannelContact | EditContactFields | RestoreFromChannel;
