import { Inject, Injectable } from '@nestjs/common';
import { queryTokensOf } from '../../contacts/projections/contact-search/search-tokens.js';
import { findContactViews } from '../../contacts/projections/contact-views/find-contact-views.js';
import type { DocumentStore } from '../../document-store/document-store.port.js';
import { afterKeyset, decodeCursor, InvalidCursorError, pageOf } from '../../document-store/keyset-cursor.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import type { Recorded } from '../../eventsourcing/domain-event.js';
import { contactStreamId, isContactEvent, type ContactEvent } from '../../contacts/index.js';
import { NotFoundError } from '../../eventsourcing/domain-errors.js';
import { DOCUMENT_STORE } from '../../projections/nest/read-model.tokens.js';
import { isProfileEvent, profileStreamId, type ProfileEvent } from '../profile-events.js';
import { PROFILE_VIEWS_COLLECTION, type ProfileViewDocument } from '../projections/profile-views/profile-views.projection.js';
import { summaryOf } from '../timeline-summary.js';
import type { Static } from '../../http/openapi/schema.js';
import type { ProfileViewSchema, TimelineItemSchema } from '../profile-view.schema.js';

export type ProfileView = Static<typeof ProfileViewSchema>;
export type TimelineItem = Static<typeof TimelineItemSchema>;

/** Reads of profiles: the profile-views read model, joined with the contact views; the timeline from the log. */
@Injectable()
export class ProfileQueries {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
  ) {}

  async profile(workspace: string, profileId: string): Promise<ProfileView> {
    return this.viewOf(await this.document(workspace, profileId));
  }

  /** Profiles (not archived) whose name or attached contacts match every word of `q`, by name. */
  async search(workspace: string, { q, limit, cursor }: { q?: string; limit: number; cursor?: string }) {
    const conditions: object[] = [{ workspace }, { archived: false }];
    for (const token of queryTokensOf(q ?? '')) conditions.push({ tokens: { $regex: `^${escapeRegExp(token)}` } });
    if (cursor) conditions.push(afterKeyset('sortKey', decodeCursor<string>(cursor, 'string')));
    const found = await this.views().find({ $and: conditions }, { sort: { sortKey: 1, _id: 1 }, limit: limit + 1 });
    const page = pageOf(found, limit, (document) => document.sortKey);
    return { items: await Promise.all(page.documents.map((document) => this.viewOf(document))), nextCursor: page.nextCursor };
  }

  /**
   * Every event of the profile and of the contacts attached to it, newest first, read from the
   * log (so it holds no copy of personal data); of contacts attached once, their attach and
   * detach to this profile. The cursor is the position of the last item of the previous page.
   */
  async timeline(workspace: string, profileId: string, { limit, cursor }: { limit: number; cursor?: string }) {
    const profile = await this.document(workspace, profileId);
    const before = cursor === undefined ? Number.POSITIVE_INFINITY : positionOfCursor(cursor);
    const profileEvents = (await this.store.readStream(profileStreamId(profileId))).filter(isProfileEvent);
    const items: TimelineItem[] = profileEvents.map((event) => itemOf(event, profileId, null, null));
    const linksToThisProfile = (event: Recorded<ContactEvent>) =>
      (event.type === 'ProfileAttached' || event.type === 'ProfileDetached') && event.data.profileId === profileId;
    const contactStreams = [
      ...profile.contactIds.map((contactId) => ({ contactId, keep: (_: Recorded<ContactEvent>) => true })),
      ...profile.formerContactIds.map((contactId) => ({ contactId, keep: linksToThisProfile })),
    ];
    for (const { contactId, keep } of contactStreams) {
      const events = (await this.store.readStream(contactStreamId(contactId))).filter(isContactEvent);
      const first = events[0];
      const channel = first?.type === 'ContactRegistered' ? first.data.channel : null;
      items.push(...events.filter(keep).map((event) => itemOf(event, profileId, contactId, channel)));
    }
    const newestFirst = items.filter((item) => item.position < before).sort((a, b) => b.position - a.position);
    const page = newestFirst.slice(0, limit);
    const nextCursor = newestFirst.length > limit ? Buffer.from(String(page.at(-1)!.position)).toString('base64url') : null;
    return { items: page, nextCursor };
  }

  private async document(workspace: string, profileId: string): Promise<ProfileViewDocument> {
    const document = await this.views().findOne({ _id: profileId, workspace });
    if (!document) throw new NotFoundError(`Profile ${profileId} not found`);
    return document;
  }

  private async viewOf(document: ProfileViewDocument): Promise<ProfileView> {
    const { _id, name, notes, archived, formerContactIds, version, createdAt, updatedAt, workspace } = document;
    const contacts = await findContactViews(this.documents, workspace, document.contactIds);
    return { id: _id, name, contacts, notes, archived, formerContactIds, version, createdAt, updatedAt };
  }

  private views() {
    return this.documents.collection<ProfileViewDocument>(PROFILE_VIEWS_COLLECTION);
  }
}

function itemOf(event: Recorded<ProfileEvent | ContactEvent>, profileId: string, contactId: string | null, channel: string | null): TimelineItem {
  const { metadata } = event;
  return {
    at: metadata.occurredAt,
    ...(contactId ? { contactId } : {}),
    ...(channel ? { channel } : {}),
    eventType: event.type,
    actor: { id: metadata.actor.id, role: metadata.actor.role },
    source: metadata.source,
    summary: summaryOf(event, profileId, channel),
    eventId: event.id,
    position: event.position,
  };
}

function positionOfCursor(cursor: string): number {
  const position = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(position) || position < 1) throw new InvalidCursorError();
  return position;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
