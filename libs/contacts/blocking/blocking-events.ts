import { NoData, type EventsOf } from '../../eventsourcing/event-schemas.js';

export const BLOCKING_EVENT_DATA = {
  ContactBlocked: NoData('The workspace no longer takes messages from the contact (respond.io "Block Contact")'),
  ContactUnblocked: NoData('The workspace takes messages from the contact again'),
};

export type ContactBlockingEvent = EventsOf<typeof BLOCKING_EVENT_DATA>;
