import Type from 'typebox';
import type { EventOf, EventsOf } from '../../eventsourcing/event-schemas.js';

const Tag = Type.String({ minLength: 1, description: "The tag in the workspace's spelling (the first one used)" });

/** Tags label contacts for the workspace; they are not the contact's personal data. */
export const TAG_EVENT_DATA = {
  TagAssigned: Type.Object({ tag: Tag }, { additionalProperties: false, description: 'A tag was put on the contact', examples: [{ tag: 'VIP' }] }),
  TagRemoved: Type.Object(
    { tag: Tag },
    { additionalProperties: false, description: 'The tag left the contact; it stays in the workspace', examples: [{ tag: 'VIP' }] },
  ),
};

export type TagAssigned = EventOf<typeof TAG_EVENT_DATA, 'TagAssigned'>;
export type ContactTaggingEvent = EventsOf<typeof TAG_EVENT_DATA>;
