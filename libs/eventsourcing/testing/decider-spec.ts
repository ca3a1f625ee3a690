import assert from 'node:assert/strict';
import type { Decider } from '../decider.js';
import type { DomainEvent, WithMetadata } from '../domain-event.js';
import type { EventMetadata } from '../event-metadata.js';

/*
 * Uses node:assert rather than jest's `expect` so that this file also compiles in the
 * production build (which has no jest types); jest reports its AssertionErrors with a diff.
 */

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** The metadata given events get when a spec does not care who wrote them. */
export const SPEC_METADATA: EventMetadata = {
  workspace: 'acme',
  actor: { id: 'spec', role: 'system' },
  source: 'system',
  correlationId: 'spec',
  causationId: null,
  schemaVersion: 1,
  occurredAt: '2026-01-01T00:00:00.000Z',
};

/** The events as a decider folds them, with the given metadata. */
export function withMetadata<E extends DomainEvent>(events: readonly E[], metadata: EventMetadata = SPEC_METADATA): WithMetadata<E>[] {
  return events.map((event) => ({ ...event, metadata }));
}

/**
 * Given/when/then for deciders:
 * `DeciderSpecification.for(decider).given(events).when(command).then(expectedEvents)`.
 */
export const DeciderSpecification = {
  for<Command, State, Event extends DomainEvent>(decider: Decider<Command, State, Event>) {
    return {
      given(events: Event[]) {
        return {
          when(command: Command) {
            const decide = (): Event[] => decider.decide(command, withMetadata(events).reduce(decider.evolve, decider.initialState()));
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
