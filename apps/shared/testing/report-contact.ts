import { randomUUID } from 'node:crypto';
import { contactDecider, contactIdFor, contactStreamId } from '../../../libs/contacts/index.js';
import { AggregateStore } from '../../../libs/eventsourcing/aggregate-store.js';
import type { EventStore } from '../../../libs/event-store/event-store.port.js';
import { EVENT_SCHEMAS } from '../event-log.js';

/** A telegram connector reports a contact of workspace `acme` through `log`, as the API writes it: the API's side in specs of another process or thread. */
export async function reportContact(log: EventStore, channelContactId: string, name: string): Promise<{ contactId: string; position: number }> {
  const contactId = contactIdFor('acme', 'telegram', channelContactId);
  const { position } = await new AggregateStore(log, EVENT_SCHEMAS).handle(
    contactStreamId(contactId),
    contactDecider,
    { type: 'ReportChannelContact', contactId, workspace: 'acme', channel: 'telegram', channelContactId, values: { name } },
    { workspace: 'acme', actor: { id: 'connector-1', role: 'integration' }, source: 'channel', correlationId: randomUUID(), causationId: null, now: new Date() },
  );
  return { contactId, position };
}
