import type { Channel, EditableField } from './contact-fields.js';
import type { ChannelValues } from './contact-events.js';
import type { CustomFieldDefinition } from '../workspace/custom-field-definitions.js';
import type { ProfileLinkCommand } from './profile-link.js';

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
  /** Custom-field values by name (null clears), checked against `definitions`: the workspace's active fields. */
  customFields?: Record<string, unknown>;
  definitions?: readonly CustomFieldDefinition[];
};

/** Drops the edited values of the given fields (all when absent): the channel's values show again. */
export type RestoreFromChannel = {
  type: 'RestoreFromChannel';
  contactId: string;
  fields?: EditableField[];
};

/** Puts a tag on the contact, spelled as the workspace keeps it. */
export type AssignTag = { type: 'AssignTag'; contactId: string; tag: string };

/** Takes a tag off the contact, whatever its case. */
export type RemoveTag = { type: 'RemoveTag'; contactId: string; tag: string };

/** Erases the contact for good (owners and managers). */
export type DeleteContact = { type: 'DeleteContact'; contactId: string };

/** A link for the customer, valid until `expiresAt`; `linkId` is the hash of its secret. */
export type IssueSelfServiceLink = { type: 'IssueSelfServiceLink'; contactId: string; linkId: string; expiresAt: string };
export type RevokeSelfServiceLink = { type: 'RevokeSelfServiceLink'; contactId: string; linkId: string };

export type BlockContact = { type: 'BlockContact'; contactId: string };
export type UnblockContact = { type: 'UnblockContact'; contactId: string };

export type ContactCommand =
  | ReportChannelContact
  | EditContactFields
  | RestoreFromChannel
  | AssignTag
  | RemoveTag
  | BlockContact
  | UnblockContact
  | DeleteContact
  | IssueSelfServiceLink
  | RevokeSelfServiceLink
  | ProfileLinkCommand;
