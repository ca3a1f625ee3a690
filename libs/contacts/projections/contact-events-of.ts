import type { AnyRecordedEvent, Recorded } from '../../eventsourcing/domain-event.js';
import { CONTACT_EVENT_SCHEMAS, isContactEvent, type ContactEvent, type ContactEventType } from '../index.js';

const CONTACT_STREAM_PREFIX = 'contact-';

/** Every contact event type: what the contact read models can handle. */
export const CONTACT_EVENT_TYPES = Object.keys(CONTACT_EVENT_SCHEMAS.versions) as ContactEventType[];

/** The contact a contact stream's event belongs to. */
export function contactIdOf(event: { streamId: string }): string {
  return event.streamId.slice(CONTACT_STREAM_PREFIX.length);
}

/** A contact event of the log, with the contact it belongs to. */
export type LoggedContactEvent = Recorded<ContactEvent> & { contactId: string };

/** The batch's events of contact streams, in order; events of other streams are left out. */
export function contactEventsOf(events: readonly AnyRecordedEvent[]): LoggedContactEvent[] {
  return events
    .filter(isContactEvent)
    .filter((event) => event.streamId.startsWith(CONTACT_STREAM_PREFIX))
    .map((event) => ({ ...event, contactId: event.streamId.slice(CONTACT_STREAM_PREFIX.length) }));
}
