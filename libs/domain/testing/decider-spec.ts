import assert from 'node:assert/strict';
import type { Decider } from '../decider.js';

/*
 * Uses node:assert rather than jest's `expect` so that this file also compiles in the
 * production build (which has no jest types); jest reports its AssertionErrors with a diff.
 */

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/**
 * Given/when/then for deciders:
 * `DeciderSpecification.for(decider).given(events).when(command).then(expectedEvents)`.
 */
export const DeciderSpecification = {
  for<Command, State, Event>(decider: Decider<Command, State, Event>) {
    return {
      given(events: Event[]) {
        return {
          when(command: Command) {
            const decide = (): Event[] => decider.decide(command, events.reduce((state, event) => decider.evolve(state, event), decider.initialState()));
            return {
              then(expected: Event[]): void {
                assert.deepStrictEqual(decide(), expected);
              },
              thenNothing(): void {
                assert.deepStrictEqual(decide(), []);
              },
              thenThrows<E extends Error>(errorClass: ErrorClass<E>, predicate?: (error: E) => boolean): void {
                assert.throws(decide, (error: unknown) => {
                  assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${String(error)}`);
                  if (predicate) assert.ok(predicate(error), `the ${errorClass.name} does not match: ${error.message}`);
                  return true;
                });
              },
            };
          },
        };
      },
    };
  },
};
