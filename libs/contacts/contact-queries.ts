import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import type { DocumentStore } from '../document-store/document-store.port.js';
import { AggregateStore } from '../eventsourcing/aggregate-store.js';
import type { CommandContext } from '../eventsourcing/event-metadata.js';
import { DOCUMENT_STORE } from '../projections/nest/read-model.tokens.js';
import { ContactAccess, contactNotFound } from './contact-access.js';
import { contactDecider } from './contact-decider.js';
import { contactStreamId } from './contact-ids.js';
import { contactViewOf, type ContactView } from './projections/contact-views/contact-view.js';
import { findContactViews } from './projections/contact-views/find-contact-views.js';
import { searchContacts } from './projections/contact-search/search-contacts.js';
import { queryHistory, type ContactHistoryEntry } from './projections/contact-history/query-history.js';

export interface HistoryFilter {
  actorId?: string;
  field?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

type ReadContext = Pick<CommandContext, 'workspace'>;

/** Reads of contacts: the projections' read models, and the log itself for time travel. */
@Injectable()
export class ContactQueries {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(AggregateStore) private readonly aggregates: AggregateStore,
    @Inject(ContactAccess) private readonly access: ContactAccess,
  ) {}

  async contactView(context: ReadContext, contactId: string): Promise<ContactView> {
    // Read models are scoped to the workspace in the query itself: another workspace's contact is not found.
    const [view] = await findContactViews(this.documents, context.workspace, [contactId]);
    if (!view) throw contactNotFound(contactId);
    return view;
  }

  /** The view as it was at `asOf`, folded from the log: any past moment, not only projected states. */
  async contactViewAsOf(context: ReadContext, contactId: string, asOf: string): Promise<ContactView> {
    const { state } = await this.aggregates.load(contactStreamId(contactId), contactDecider, {
      asOf,
      authorize: (contact) => this.access.assertVisible(context, contactId, contact.workspace),
    });
    if (!state.exists) throw contactNotFound(contactId);
    return contactViewOf(state);
  }

  async search(context: ReadContext, query: { q?: string; tags?: string[]; blocked?: boolean; limit?: number; cursor?: string }) {
    const { ids, nextCursor } = await searchContacts(this.documents, { workspace: context.workspace, ...query, limit: query.limit ?? 20 });
    return { items: await findContactViews(this.documents, context.workspace, ids), nextCursor };
  }

  async history(context: ReadContext, contactId: string, filter: HistoryFilter): Promise<{ items: ContactHistoryEntry[]; nextCursor: string | null }> {
    await this.assertContactExists(context, contactId);
    return queryHistory(this.documents, { workspace: context.workspace, contactId, ...filter, limit: filter.limit ?? 100 });
  }

  /** From the log, so a contact registered a moment ago is found before its projection caught up. */
  private async assertContactExists(context: ReadContext, contactId: string): Promise<void> {
    const [first] = (await this.store.readStream(contactStreamId(contactId), { maxCount: 1 })).filter(contactDecider.isEvent);
    if (first?.type !== 'ContactRegistered') throw contactNotFound(contactId);
    this.access.assertVisible(context, contactId, first.data.workspace);
  }
}
