import { Inject, Injectable } from '@nestjs/common';
import { AggregateStore } from '../../eventsourcing/aggregate-store.js';
import { NotFoundError } from '../../eventsourcing/domain-errors.js';
import type { CommandContext } from '../../eventsourcing/event-metadata.js';
import { contactDecider, contactStreamId, effectiveValue, normalizeField, type ContactState } from '../../contacts/index.js';
import { ContactAccess } from '../../contacts/contact-access.js';
import type { DocumentStore } from '../../document-store/document-store.port.js';
import { afterKeyset, decodeCursor, pageOf } from '../../document-store/keyset-cursor.js';
import { DOCUMENT_STORE } from '../../projections/nest/read-model.tokens.js';
import { mergeSuggestionDecider, mergeSuggestionStreamId } from '../merge-suggestion.js';
import { profileDecider } from '../profile-decider.js';
import { profileStreamId } from '../profile-events.js';
import { MERGE_SUGGESTIONS_COLLECTION, type MergeSuggestionDocument } from '../projections/merge-suggestions/merge-suggestions.projection.js';
import { ProfileWrites } from './profile-writes.js';

const FALLBACK_PROFILE_NAME = 'Merged contacts';

/** Lists merge suggestions; accepting links both contacts to one profile, dismissing records it. */
@Injectable()
export class MergeSuggestions {
  constructor(
    @Inject(AggregateStore) private readonly aggregates: AggregateStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(ContactAccess) private readonly policy: ContactAccess,
    @Inject(ProfileWrites) private readonly profiles: ProfileWrites,
  ) {}

  async list(workspace: string, { limit, cursor }: { limit: number; cursor?: string }) {
    const conditions: object[] = [{ workspace }];
    if (cursor) conditions.push(afterKeyset('_id', decodeCursor<string>(cursor, 'string')));
    const found = await this.collection().find({ $and: conditions }, { sort: { _id: 1 }, limit: limit + 1 });
    const page = pageOf(found, limit, (doc) => doc._id);
    return { items: page.documents.map(({ _id, contactIds, reason, reasons }) => ({ id: _id, contactIds, reason, reasons })), nextCursor: page.nextCursor };
  }

  /**
   * Attaches both contacts to the (not archived) profile of either, the first's first, or to a
   * new profile named `name`, else after one of them, and records the acceptance.
   */
  async accept(context: CommandContext, suggestionId: string, name: string | undefined) {
    await this.policy.assertMayEdit(context);
    const suggestion = await this.shown(context.workspace, suggestionId);
    const [a, b] = suggestion.contactIds;
    const states = await Promise.all([a, b].map(async (id) => (await this.aggregates.load(contactStreamId(id), contactDecider)).state));
    // No If-Match on an accept: it names no stream version; the idempotency key carries through.
    const { expectedVersion: _, ...write } = context;
    const target = await this.openProfileOf(states);
    let profileId: string;
    let position: number;
    if (target) {
      profileId = target;
      position = 0;
      for (const id of [a, b]) position = Math.max(position, (await this.profiles.attach(write, target, id)).position);
    } else {
      ({ profileId, position } = await this.profiles.create(write, { name: this.profileName(name, states), contactIds: [a, b] }));
    }
    const accepted = await this.aggregates.handle(
      mergeSuggestionStreamId(suggestionId),
      mergeSuggestionDecider,
      { type: 'AcceptMergeSuggestion', suggestionId, workspace: context.workspace, contactIds: [a, b], profileId },
      write,
    );
    return { id: suggestionId, profileId, position: Math.max(position, accepted.position) };
  }

  /** Dismissing a pair already dismissed answers as the first dismissal did and writes nothing. */
  async dismiss(context: CommandContext, suggestionId: string) {
    await this.policy.assertMayEdit(context);
    // No If-Match on a dismissal, as on an accept: a suggestion shows no version to match.
    const { expectedVersion: _, ...write } = context;
    const stream = mergeSuggestionStreamId(suggestionId);
    const { state } = await this.aggregates.load(stream, mergeSuggestionDecider);
    const alreadyDismissed = state.dismissed && state.workspace === context.workspace;
    const contactIds = alreadyDismissed ? [] : (await this.shown(context.workspace, suggestionId)).contactIds;
    const command = { type: 'DismissMergeSuggestion' as const, suggestionId, workspace: context.workspace, contactIds };
    const result = await this.aggregates.handle(stream, mergeSuggestionDecider, command, write);
    return { id: suggestionId, version: result.version, position: result.position };
  }

  private async shown(workspace: string, suggestionId: string): Promise<MergeSuggestionDocument> {
    const suggestion = await this.collection().findOne({ _id: suggestionId, workspace });
    if (!suggestion) throw new NotFoundError(`Merge suggestion ${suggestionId} not found`);
    return suggestion;
  }

  private async openProfileOf(contacts: readonly ContactState[]): Promise<string | null> {
    for (const { profileId } of contacts) {
      if (!profileId) continue;
      const { state } = await this.aggregates.load(profileStreamId(profileId), profileDecider);
      if (state.exists && !state.archived) return profileId;
    }
    return null;
  }

  /** The name asked for (the decider checks it), else the first contact name that makes a valid one. */
  private profileName(requested: string | undefined, contacts: readonly ContactState[]): string {
    if (requested !== undefined) return requested;
    for (const contact of contacts) {
      const name = effectiveValue(contact.fields.name);
      const checked = name === null ? null : normalizeField('name', name);
      if (checked?.ok) return checked.value;
    }
    return FALLBACK_PROFILE_NAME;
  }

  private collection() {
    return this.documents.collection<MergeSuggestionDocument>(MERGE_SUGGESTIONS_COLLECTION);
  }
}
