/**
 * A pure aggregate (emmett style): `decide` turns a command into events against the current
 * state, `evolve` folds one event into the state. Neither does I/O.
 */
export interface Decider<Command, State, Event> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}
