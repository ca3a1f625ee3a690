import type { NewEvent, RecordedEvent } from '../event-store/event-store.port.js';
import type { EventMetadata } from './event-metadata.js';

/** An event as a decider decides it: a type and its data; the command handler adds the metadata. */
export type DomainEvent<Type extends string = string, Data extends object = object> = { type: Type; data: Data };

/** Any event of the log, whatever its types: what guards narrow from. */
export type AnyRecordedEvent = RecordedEvent<string, object, object>;

/**
 * The recorded envelope of each event of a union (`RecordedEvent<Type, Data, EventMetadata>` for
 * each member): `Recorded<ContactEvent>` is a union too, so a `switch (event.type)` narrows
 * `data`. Reads of the log produce it, after upcasting, through a decider's or projection's guard.
 */
export type Recorded<E extends DomainEvent> = E & Omit<RecordedEvent<E['type'], E['data'], EventMetadata>, 'type' | 'data'>;

/** An event the command handler just appended: the log position is that of the batch's last event. */
export type Appended<E extends DomainEvent> = E & Omit<NewEvent<E['type'], E['data'], EventMetadata>, 'type' | 'data'> & { revision: number };

/** What `evolve` folds: the event with its metadata (who, when), recorded or just appended. */
export type WithMetadata<E extends DomainEvent> = E & { metadata: EventMetadata };
