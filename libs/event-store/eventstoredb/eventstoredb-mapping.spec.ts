import { ANY, NO_STREAM, excludeSystemEvents, START, STREAM_EXISTS, WrongExpectedVersionError, type AllStreamResolvedEvent } from '@eventstore/db-client';
import { WrongExpectedRevisionError, type RecordedEvent } from '../event-store.port.js';
import {
  matchesAllFilter,
  toEsdbExpectedRevision,
  toEsdbFilter,
  toEventData,
  toReadPosition,
  decodeEvent,
  toWrongExpectedRevisionError,
} from './eventstoredb-mapping.js';

describe('EventStoreDB mapping', () => {
  it('maps expected revisions', () => {
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toEsdbExpectedRevision(0)).toBe(0n);
    expect(toEsdbExpectedRevision(41)).toBe(41n);
  });

  it('maps a wrong expected version to our error, with the actual revision or no_stream', () => {
    const existing = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 3n, current: 7n });
    const missing = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 0n, current: NO_STREAM });

    const mapped = toWrongExpectedRevisionError(existing, 's', 3);
    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ streamId: 's', expected: 3, actual: 7 });
    expect(toWrongExpectedRevisionError(missing, 's', 0).actual).toBe('no_stream');
  });

  it('sends events as JSON with their own ids', () => {
    const event = { id: '5b1c9a86-4f7e-4d33-9c1a-2f8f9b0e6a11', type: 'T', data: { a: 1 }, metadata: { m: 'ü' } };
    expect(toEventData(event)).toEqual({ ...event, contentType: 'application/json' });
  });

  it('maps a recorded event, taking the commit position of a self-committed event as the position', () => {
    const created = new Date('2024-05-06T07:08:09.123Z');
    const resolved = resolvedEvent({ created, data: { name: 'Zoë' }, metadata: { actor: { id: 'a' } } });

    expect(decodeEvent(resolved)).toEqual({
      kind: 'event',
      event: {
      id: 'e-1',
      type: 'ContactCreated',
      streamId: 'contact-1',
      revision: 2,
      position: 1234,
      data: { name: 'Zoë' },
      metadata: { actor: { id: 'a' } },
      recordedAt: '2024-05-06T07:08:09.123Z',
      },
    });
  });

  it('gives empty metadata to an event written without it', () => {
    expect(decodeEvent(resolvedEvent({ metadata: undefined }))).toMatchObject({ event: { metadata: {} } });
  });

  it('hides system events and unresolved links', () => {
    expect(decodeEvent(resolvedEvent({ type: '$metadata' }))).toEqual({ kind: 'hidden' });
    expect(decodeEvent(resolvedEvent({ streamId: '$stats-127.0.0.1:2113' }))).toEqual({ kind: 'hidden' });
    expect(decodeEvent({ commitPosition: 5n })).toEqual({ kind: 'hidden' });
  });

  it('starts reads at the start for position 0, else at the event with that position', () => {
    expect(toReadPosition(0)).toBe(START);
    expect(toReadPosition(1234)).toEqual({ commit: 1234n, prepare: 1234n });
  });

  it('builds the server-side filter: stream prefixes, else exact event types, else no system events', () => {
    expect(toEsdbFilter({ streamPrefixes: ['contact-'], eventTypes: ['X'] })).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['contact-'],
    });
    const byType = toEsdbFilter({ eventTypes: ['Tag.Added', 'B'] });
    expect(byType).toMatchObject({ filterOn: 'eventType' });
    const regex = new RegExp((byType as { regex: string }).regex);
    expect(['Tag.Added', 'B'].every((t) => regex.test(t))).toBe(true);
    expect(['TagxAdded', 'Tag.AddedV2', 'AB'].some((t) => regex.test(t))).toBe(false);
    expect(toEsdbFilter(undefined)).toEqual(excludeSystemEvents());
  });

  it('matches the port filter exactly: prefixes, types, both, or none', () => {
    const event = { streamId: 'contact-1', type: 'A' } as RecordedEvent;
    expect(matchesAllFilter(event, undefined)).toBe(true);
    expect(matchesAllFilter(event, { streamPrefixes: [], eventTypes: [] })).toBe(true);
    expect(matchesAllFilter(event, { streamPrefixes: ['profile-', 'contact-'] })).toBe(true);
    expect(matchesAllFilter(event, { streamPrefixes: ['profile-'] })).toBe(false);
    expect(matchesAllFilter(event, { eventTypes: ['AB'] })).toBe(false);
    expect(matchesAllFilter(event, { streamPrefixes: ['contact-'], eventTypes: ['B'] })).toBe(false);
    expect(matchesAllFilter(event, { streamPrefixes: ['contact-'], eventTypes: ['A'] })).toBe(true);
  });
});

function resolvedEvent(
  overrides: Partial<{ type: string; streamId: string; created: Date; data: unknown; metadata: unknown }>,
): AllStreamResolvedEvent {
  return {
    event: {
      id: 'e-1',
      type: 'ContactCreated',
      streamId: 'contact-1',
      revision: 2n,
      isJson: true,
      created: new Date(),
      data: {},
      metadata: {},
      position: { commit: 1234n, prepare: 1234n },
      ...overrides,
    },
    commitPosition: 1234n,
  } as AllStreamResolvedEvent;
}
