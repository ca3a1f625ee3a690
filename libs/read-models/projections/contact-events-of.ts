import type { RecordedEvent } from '../../event-store/event-store.port.js';
import { CONTACT_EVENT_SCHEMA_VERSIONS, type RecordedContactEvent } from '../../domain/contacts/index.js';

const CONTACT_STREAM_PREFIX = 'contact-';

/** A contact event of the log, with what projections key and guard on. */
export type LoggedContactEvent = RecordedContactEvent & { id: string; position: number; contactId: string };

/** The batch's events of contact streams, in order; events of other streams are left out. */
export function contactEventsOf(events: readonly RecordedEvent[]): LoggedContactEvent[] {
  return events
    .filter((event) => event.streamId.startsWith(CONTACT_STREAM_PREFIX) && Object.hasOwn(CONTACT_EVENT_SCHEMA_VERSIONS, event.type))
    .map((event) => ({
      ...(event as unknown as RecordedContactEvent),
      id: event.id,
      position: event.position,
      contactId: event.streamId.slice(CONTACT_STREAM_PREFIX.length),
    }));
}

/** The events grouped by contact, each group in order. */
export function byContact(events: readonly LoggedContactEvent[]): Map<string, LoggedContactEvent[]> {
  const groups = new Map<string, LoggedContactEvent[]>();
  for (const event of events) {
    const group = groups.get(event.contactId);
    if (group) group.push(event);
    else groups.set(event.contactId, [event]);
  }
  return groups;
}
