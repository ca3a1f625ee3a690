import type { RecordedEvent } from '../../event-store/event-store.port.js';
import type { EventMetadata } from '../../eventsourcing/event-metadata.js';
import { CONTACT_EVENT_SCHEMA_VERSIONS, type ContactEvent } from '../../contacts/index.js';
import { isProfileEventType, PROFILE_STREAM_PREFIX, type ProfileEvent } from '../profile-events.js';

const CONTACT_STREAM_PREFIX = 'contact-';
/** Published by the contact feature when a contact is deleted (issue 7); handled by name. */
export const CONTACT_DELETED = 'ContactDeleted';

type Logged = { id: string; position: number; revision: number; metadata: EventMetadata };

/** A contact stream's event as the profile projections read it: the contact's events and its deletion. */
export type LoggedContactEvent = (ContactEvent | { type: typeof CONTACT_DELETED; data: Record<string, unknown> }) & Logged & { contactId: string };
export type LoggedProfileEvent = ProfileEvent & Logged & { profileId: string };

export function contactEventOf(event: RecordedEvent): LoggedContactEvent | null {
  if (!event.streamId.startsWith(CONTACT_STREAM_PREFIX)) return null;
  if (event.type !== CONTACT_DELETED && !Object.hasOwn(CONTACT_EVENT_SCHEMA_VERSIONS, event.type)) return null;
  return { ...logged(event), type: event.type, data: event.data, contactId: event.streamId.slice(CONTACT_STREAM_PREFIX.length) } as LoggedContactEvent;
}

export function profileEventOf(event: RecordedEvent): LoggedProfileEvent | null {
  if (!event.streamId.startsWith(PROFILE_STREAM_PREFIX) || !isProfileEventType(event.type)) return null;
  return { ...logged(event), type: event.type, data: event.data, profileId: event.streamId.slice(PROFILE_STREAM_PREFIX.length) } as LoggedProfileEvent;
}

function logged(event: RecordedEvent): Logged {
  return { id: event.id, position: event.position, revision: event.revision, metadata: event.metadata as unknown as EventMetadata };
}

/** Items grouped by a key, each group in order. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
