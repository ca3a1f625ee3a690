import { Inject, Injectable } from '@nestjs/common';
import { AggregateStore } from '../eventsourcing/aggregate-store.js';
import { NotFoundError } from '../eventsourcing/domain-errors.js';
import type { CommandContext } from '../eventsourcing/event-metadata.js';
import { KEY_STORE, type KeyStore } from '../personal-data/key-store.port.js';
import { ContactAccess } from './contact-access.js';
import { contactDecider } from './contact-decider.js';
import { contactStreamId } from './contact-ids.js';

/**
 * Deletion with crypto-shredding: `ContactDeleted` is appended (so every read model drops the
 * contact), then the contact's key is destroyed (so every personal value its events carry is
 * unreadable for good, in the log and its copies). A retry after a failure between the two
 * destroys the key and answers 404, as for any deleted contact. Owners and managers only (the route).
 */
@Injectable()
export class ContactDeletion {
  constructor(
    @Inject(AggregateStore) private readonly aggregates: AggregateStore,
    @Inject(ContactAccess) private readonly access: ContactAccess,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
  ) {}

  async delete(context: CommandContext, contactId: string): Promise<void> {
    const streamId = contactStreamId(contactId);
    const authorize = this.access.toReport(context, contactId);
    try {
      await this.aggregates.handle(streamId, contactDecider, { type: 'DeleteContact', contactId }, context, { authorize, personalDataKey: streamId });
    } catch (error) {
      if (error instanceof NotFoundError) {
        const { state } = await this.aggregates.load(streamId, contactDecider);
        if (state.deleted && state.workspace === context.workspace) await this.keys.destroy(streamId);
      }
      throw error;
    }
    await this.keys.destroy(streamId);
  }
}
