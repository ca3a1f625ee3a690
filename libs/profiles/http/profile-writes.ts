import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AggregateStore, type Authorize } from '../../eventsourcing/aggregate-store.js';
import { deterministicId } from '../../eventsourcing/deterministic-id.js';
import { InvalidValuesError, NotFoundError, StateConflictError, VersionConflictError } from '../../eventsourcing/domain-errors.js';
import type { CommandContext } from '../../eventsourcing/event-metadata.js';
import { contactDecider, contactStreamId, type ProfileLinkCommand } from '../../contacts/index.js';
import { ContactAccess } from '../../contacts/contact-access.js';
import type { ProfileCommand } from '../profile-commands.js';
import { profileDecider } from '../profile-decider.js';
import { profileStreamId } from '../profile-events.js';
import type { ProfileState } from '../profile-state.js';
import type { Static } from '../../http/openapi/schema.js';
import type { ProfileLinkWrittenSchema, ProfileWrittenSchema } from '../profile-view.schema.js';

/** What a profile write answers (API.md): the profile's stream version and the log position to wait for. */
export type ProfileWriteResult = Static<typeof ProfileWrittenSchema>;
/** `contactVersion`: the contact stream's version after the attach or detach: the link lives there. */
export type LinkWriteResult = Static<typeof ProfileLinkWrittenSchema>;

const MAX_CONTACTS_AT_CREATION = 100;

/**
 * Profile writes. Each checks the permission once (as contact edits: owners, managers, agents a
 * manager allowed), then runs a decider on one stream with the expected revision. The link is
 * written on the contact stream only; profile read models project it.
 */
@Injectable()
export class ProfileWrites {
  constructor(
    @Inject(AggregateStore) private readonly aggregates: AggregateStore,
    @Inject(ContactAccess) private readonly policy: ContactAccess,
  ) {}

  /**
   * Checks every contact first, then creates the profile and attaches them one by one. Not one
   * transaction: a crash between leaves a profile with some of them; a retry with the same
   * Idempotency-Key (the profile id derives from it) completes it without writing twice.
   */
  async create(context: CommandContext, body: { name: string; contactIds?: string[] }): Promise<ProfileWriteResult> {
    await this.policy.assertMayEdit(context);
    const contactIds = [...new Set(body.contactIds ?? [])];
    if (contactIds.length > MAX_CONTACTS_AT_CREATION) {
      throw new InvalidValuesError([{ field: 'contactIds', message: `Attach at most ${MAX_CONTACTS_AT_CREATION} contacts when creating a profile.` }]);
    }
    const missing = [];
    for (const contactId of contactIds) {
      const { state } = await this.aggregates.load(contactStreamId(contactId), contactDecider);
      if (!state.exists || state.workspace !== context.workspace) missing.push({ field: 'contactIds', message: `Contact ${contactId} not found` });
    }
    if (missing.length > 0) throw new InvalidValuesError(missing);

    const profileId = context.idempotencyKey
      ? deterministicId('profile', context.workspace, context.actor.id, context.idempotencyKey)
      : randomUUID();
    const created = await this.profileCommand(context, { type: 'CreateProfile', profileId, workspace: context.workspace, name: body.name });
    let position = created.position;
    for (const contactId of contactIds) {
      const linked = await this.linkCommand(context, { type: 'AttachToProfile', contactId, profileId });
      position = Math.max(position, linked.position);
    }
    return { ...created, position };
  }

  async rename(context: CommandContext, profileId: string, name: string): Promise<ProfileWriteResult> {
    await this.policy.assertMayEdit(context);
    return this.profileCommand(context, { type: 'RenameProfile', profileId, name });
  }

  async archive(context: CommandContext, profileId: string): Promise<ProfileWriteResult> {
    await this.policy.assertMayEdit(context);
    return this.profileCommand(context, { type: 'ArchiveProfile', profileId });
  }

  async addNote(context: CommandContext, profileId: string, text: string): Promise<ProfileWriteResult & { noteId: string }> {
    await this.policy.assertMayEdit(context);
    const noteId = context.idempotencyKey
      ? deterministicId('profile-note', context.workspace, context.actor.id, profileId, context.idempotencyKey)
      : randomUUID();
    return { noteId, ...(await this.profileCommand(context, { type: 'AddProfileNote', profileId, noteId, text })) };
  }

  async editNote(context: CommandContext, profileId: string, noteId: string, text: string) {
    await this.policy.assertMayEdit(context);
    return { noteId, ...(await this.profileCommand(context, { type: 'EditProfileNote', profileId, noteId, text })) };
  }

  async deleteNote(context: CommandContext, profileId: string, noteId: string) {
    await this.policy.assertMayEdit(context);
    return { noteId, ...(await this.profileCommand(context, { type: 'DeleteProfileNote', profileId, noteId })) };
  }

  /** `If-Match` is the profile's version; the events go to the contact stream. */
  async attach(context: CommandContext, profileId: string, contactId: string): Promise<LinkWriteResult> {
    await this.policy.assertMayEdit(context);
    const profile = await this.existingProfile(context, profileId);
    if (profile.state.archived) throw new StateConflictError(`Profile ${profileId} is archived`);
    const linked = await this.linkCommand(context, { type: 'AttachToProfile', contactId, profileId });
    return { profileId, version: profile.version, ...linked };
  }

  async detach(context: CommandContext, profileId: string, contactId: string): Promise<LinkWriteResult> {
    await this.policy.assertMayEdit(context);
    const profile = await this.existingProfile(context, profileId);
    const linked = await this.linkCommand(context, { type: 'DetachFromProfile', contactId, profileId });
    return { profileId, version: profile.version, ...linked };
  }

  private async existingProfile(context: CommandContext, profileId: string): Promise<{ state: ProfileState; version: number }> {
    const profile = await this.aggregates.load(profileStreamId(profileId), profileDecider);
    if (!profile.state.exists || profile.state.workspace !== context.workspace) throw new NotFoundError(`Profile ${profileId} not found`);
    if (context.expectedVersion !== undefined && context.expectedVersion !== profile.version) {
      throw new VersionConflictError(context.expectedVersion, profile.version);
    }
    return profile;
  }

  private async profileCommand(context: CommandContext, command: ProfileCommand): Promise<ProfileWriteResult> {
    const authorize: Authorize<ProfileState> = (state) => {
      if (state.exists && state.workspace !== context.workspace) throw new NotFoundError(`Profile ${command.profileId} not found`);
    };
    const result = await this.aggregates.handle(profileStreamId(command.profileId), profileDecider, command, context, { authorize });
    return { profileId: command.profileId, version: result.version, position: result.position };
  }

  /** The contact's stream, written with its own key for personal data, as every contact write. */
  private async linkCommand(
    context: CommandContext,
    command: ProfileLinkCommand,
  ): Promise<Pick<LinkWriteResult, 'contactId' | 'contactVersion' | 'position'>> {
    const { contactId } = command;
    // If-Match is the profile's version: the contact stream is written at whatever version it has.
    const { expectedVersion: _, ...onTheContact } = context;
    const result = await this.aggregates.handle(contactStreamId(contactId), contactDecider, command, onTheContact, {
      authorize: (state) => this.policy.assertVisible(context, contactId, state.workspace),
      personalDataKey: contactStreamId(contactId),
    });
    return { contactId, contactVersion: result.version, position: result.position };
  }
}
