import type { AnyRecordedEvent, DomainEvent, Recorded, WithMetadata } from './domain-event.js';

/**
 * A pure aggregate (emmett style): `decide` turns a command into events against the current
 * state, `evolve` folds one event (with its metadata: who, when) into the state. Neither does
 * I/O. `isEvent` tells the decider's own events from others (`isEventOf(schemas)`): it types
 * what the log gives back.
 */
export interface Decider<Command, State, Event extends DomainEvent> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: WithMetadata<Event>): State;
  initialState(): State;
  isEvent(event: AnyRecordedEvent): event is Recorded<Event>;
  /**
   * Names the shape of a JSON-serialisable state, for snapshots (see AggregateStore): change it
   * whenever `evolve`, the state or an upcaster changes what a fold gives. Absent: no snapshots.
   */
  snapshotSchema?: string;
}
