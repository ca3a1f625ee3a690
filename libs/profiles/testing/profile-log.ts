import { randomUUID } from 'node:crypto';
import { AggregateStore } from '../../eventsourcing/aggregate-store.js';
import type { CommandContext } from '../../eventsourcing/event-metadata.js';
import { contactDecider, contactStreamId } from '../../contacts/index.js';
import { OWNER, type ContactLog } from '../../contacts/testing/contact-log.js';
import { EventSchemaRegistry } from '../../eventsourcing/event-schemas.js';
import { CONTACT_EVENT_SCHEMAS } from '../../contacts/index.js';
import { PROFILE_EVENT_SCHEMAS } from '../profile-events.js';
import type { ProfileCommand } from '../profile-commands.js';
import { profileDecider } from '../profile-decider.js';
import { profileStreamId } from '../profile-events.js';
import { MERGE_SUGGESTION_EVENT_SCHEMAS, mergeSuggestionDecider, mergeSuggestionIdOf, mergeSuggestionStreamId } from '../merge-suggestion.js';

/**
 * Profile commands and links written through the deciders on a ContactLog's SQLite file, as
 * the API writes them. Each helper answers the log position of the command's last event.
 */
export class ProfileLog {
  private readonly aggregates: AggregateStore;

  constructor(readonly log: ContactLog) {
    this.aggregates = new AggregateStore(log.store, EventSchemaRegistry.of(CONTACT_EVENT_SCHEMAS, PROFILE_EVENT_SCHEMAS, MERGE_SUGGESTION_EVENT_SCHEMAS));
  }

  async create(name: string, { workspace = 'acme' } = {}): Promise<string> {
    const profileId = randomUUID();
    await this.profile({ type: 'CreateProfile', profileId, workspace, name }, workspace);
    return profileId;
  }

  async profile(command: ProfileCommand, workspace = 'acme'): Promise<number> {
    return (await this.aggregates.handle(profileStreamId(command.profileId), profileDecider, command, contextOf(workspace))).position;
  }

  async attach(contactId: string, profileId: string, workspace = 'acme'): Promise<number> {
    const command = { type: 'AttachToProfile' as const, contactId, profileId };
    return (await this.aggregates.handle(contactStreamId(contactId), contactDecider, command, contextOf(workspace))).position;
  }

  async detach(contactId: string, profileId: string, workspace = 'acme'): Promise<number> {
    const command = { type: 'DetachFromProfile' as const, contactId, profileId };
    return (await this.aggregates.handle(contactStreamId(contactId), contactDecider, command, contextOf(workspace))).position;
  }

  async dismiss(a: string, b: string, workspace = 'acme'): Promise<number> {
    const suggestionId = mergeSuggestionIdOf(workspace, [a, b]);
    const command = { type: 'DismissMergeSuggestion' as const, suggestionId, workspace, contactIds: [a, b].sort() };
    return (await this.aggregates.handle(mergeSuggestionStreamId(suggestionId), mergeSuggestionDecider, command, contextOf(workspace))).position;
  }

  /** A `ContactDeleted` as the contact feature records it (issue 7): the profile side handles it by name. */
  async deleteContact(contactId: string): Promise<number> {
    const stream = await this.log.store.readStream(contactStreamId(contactId));
    const metadata = { workspace: 'acme', actor: OWNER, source: 'agent', correlationId: randomUUID(), causationId: null, schemaVersion: 1, occurredAt: new Date().toISOString() };
    const { position } = await this.log.store.appendToStream(contactStreamId(contactId), [{ id: randomUUID(), type: 'ContactDeleted', data: {}, metadata }], {
      expectedRevision: stream.length - 1,
    });
    return position;
  }
}

function contextOf(workspace: string): CommandContext {
  return { workspace, actor: OWNER, source: 'agent', correlationId: randomUUID(), causationId: null, now: new Date() };
}
