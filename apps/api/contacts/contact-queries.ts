import { Inject, Injectable } from '@nestjs/common';
import { contactStreamId, contactViewFrom, type ContactView, type RecordedContactEvent } from '../../../libs/domain/contacts/index.js';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store/event-store.port.js';
import type { DocumentStore } from '../../../libs/read-models/document-store/document-store.port.js';
import { searchContacts } from '../../../libs/read-models/projections/contact-search/search-contacts.js';
import { findContactViews } from '../../../libs/read-models/projections/contact-views/find-contact-views.js';
import { queryHistory, type ContactHistoryEntry } from '../../../libs/read-models/projections/contact-history/query-history.js';
import { NotFoundError } from '../../../libs/shared-kernel/domain-errors.js';
import { DOCUMENT_STORE } from '../read-models/read-model.tokens.js';

export interface HistoryFilter {
  actorId?: string;
  field?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** Reads of contacts: the projections' read models, and the log itself for time travel. */
@Injectable()
export class ContactQueries {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
  ) {}

  async contactView(workspace: string, contactId: string): Promise<ContactView> {
    const [view] = await findContactViews(this.documents, workspace, [contactId]);
    if (!view) throw notFound(contactId);
    return view;
  }

  /** The view as it was at `asOf`, folded from the log: any past moment, not only projected states. */
  async contactViewAsOf(workspace: string, contactId: string, asOf: string): Promise<ContactView> {
    const until = Date.parse(asOf);
    const events = (await this.store.readStream(contactStreamId(contactId))) as unknown as RecordedContactEvent[];
    const view = contactViewFrom(events.filter((event) => Date.parse(event.metadata.occurredAt) <= until));
    if (!view || view.workspace !== workspace) throw notFound(contactId);
    return view;
  }

  async search(workspace: string, query: { q?: string; tag?: string; limit?: number; cursor?: string }) {
    const { ids, nextCursor } = await searchContacts(this.documents, { workspace, ...query, limit: query.limit ?? 20 });
    return { items: await findContactViews(this.documents, workspace, ids), nextCursor };
  }

  async history(workspace: string, contactId: string, filter: HistoryFilter): Promise<{ items: ContactHistoryEntry[]; nextCursor: string | null }> {
    await this.assertContactExists(workspace, contactId);
    return queryHistory(this.documents, { workspace, contactId, ...filter, limit: filter.limit ?? 100 });
  }

  /** From the log, so a contact registered a moment ago is found before its projection caught up. */
  private async assertContactExists(workspace: string, contactId: string): Promise<void> {
    const [first] = await this.store.readStream(contactStreamId(contactId), { maxCount: 1 });
    if (!first || first.data.workspace !== workspace) throw notFound(contactId);
  }
}

function notFound(contactId: string): NotFoundError {
  return new NotFoundError(`Contact ${contactId} not found`);
}
