import { NotFoundError } from '../../eventsourcing/domain-errors.js';
import type { IssueSelfServiceLink, RevokeSelfServiceLink } from '../contact-commands.js';
import type { ContactEvent } from '../contact-events.js';
import type { ContactState } from '../contact-state.js';
import { channelOfExistingContact } from '../existing-contact.js';

export function decideIssueSelfServiceLink(command: IssueSelfServiceLink, state: ContactState): ContactEvent[] {
  channelOfExistingContact(state, command.contactId);
  return [{ type: 'SelfServiceLinkIssued', data: { linkId: command.linkId, expiresAt: command.expiresAt } }];
}

/** Revoking a link the contact never had is not found; revoking it twice writes nothing. */
export function decideRevokeSelfServiceLink(command: RevokeSelfServiceLink, state: ContactState): ContactEvent[] {
  channelOfExistingContact(state, command.contactId);
  const link = state.selfServiceLinks[command.linkId];
  if (!link) throw new NotFoundError('No such self-service link');
  return link.revoked ? [] : [{ type: 'SelfServiceLinkRevoked', data: { linkId: command.linkId } }];
}

/** Whether the link opens the contact at `now`: issued for it, not revoked, not expired. */
export function isLinkActive(state: ContactState, linkId: string, now: Date): boolean {
  const link = state.selfServiceLinks[linkId];
  return state.exists && link !== undefined && !link.revoked && Date.parse(link.expiresAt) > now.getTime();
}
