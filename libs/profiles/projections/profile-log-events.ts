import type { AnyRecordedEvent, Recorded } from '../../eventsourcing/domain-event.js';
import { isProfileEvent, PROFILE_STREAM_PREFIX, type ProfileEvent } from '../profile-events.js';


export type LoggedProfileEvent = Recorded<ProfileEvent> & { profileId: string };

export function profileEventOf(event: AnyRecordedEvent): LoggedProfileEvent | null {
  if (!event.streamId.startsWith(PROFILE_STREAM_PREFIX) || !isProfileEvent(event)) return null;
  return { ...event, profileId: event.streamId.slice(PROFILE_STREAM_PREFIX.length) };
}
