import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../../libs/event-store/event-store.port.js';
import { contactStreamId, contactViewFrom, type ContactView, type RecordedContactEvent } from '../../../libs/domain/contacts/index.js';
import { NotFoundError } from '../../../libs/shared-kernel/domain-errors.js';

/** Reads of contacts. Folds the contact's stream: the read models of the projections come next. */
@Injectable()
export class ContactQueries {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async contactView(workspace: string, contactId: string): Promise<ContactView> {
    const events = await this.store.readStream(contactStreamId(contactId));
    const view = contactViewFrom(events as unknown as RecordedContactEvent[]);
    if (!view || view.workspace !== workspace) throw new NotFoundError(`Contact ${contactId} not found`);
    return view;
  }
}
