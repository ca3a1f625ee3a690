import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type EventData,
  type Filter,
  type ReadPosition,
  type ResolvedEvent,
  type WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  WrongExpectedRevisionError,
  type AllFilter,
  type ExpectedRevision,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
} from '../event-store.port.js';

/** Pure translations between the EventStore port and @eventstore/db-client. */

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

export function toWrongExpectedRevisionError(
  error: WrongExpectedVersionError,
  streamId: string,
  expected: ExpectedRevision,
): WrongExpectedRevisionError {
  const actual = error.actualVersion === NO_STREAM ? 'no_stream' : Number(error.actualVersion);
  return new WrongExpectedRevisionError(streamId, expected, actual);
}

export function toEventData(event: NewEvent): EventData {
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata });
}

/**
 * The port's view of an event read from EventStoreDB; undefined for what the port does not
 * show: system events (`$` types or streams) and unresolved links.
 *
 * The position is the commit position. EventStoreDB commits each event of an append on its
 * own log record, so commit positions differ from one event to the next and equal the
 * prepare positions.
 */
export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || isSystemName(event.type) || isSystemName(event.streamId)) return undefined;
  const commit = event.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) throw new Error(`EventStoreDB gave no position for event ${event.id}: server older than 22.6?`);
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: Number(commit),
    data: toJsonObject(event.data),
    metadata: event.metadata === undefined ? {} : toJsonObject(event.metadata),
    recordedAt: event.created.toISOString(),
  };
}

/** A position to start an EventStoreDB read from; `readAll` includes it, `subscribeToAll` does not. */
export function toReadPosition(position: number): ReadPosition {
  if (position === 0) return START;
  return { commit: BigInt(position), prepare: BigInt(position) };
}

/**
 * The server-side filter for a subscription. EventStoreDB filters on streams or on types, not
 * both: with both, it filters on streams and `matchesAllFilter` does the rest client-side.
 */
export function toEsdbFilter(filter: AllFilter | undefined): Filter {
  if (filter?.streamPrefixes?.length) return streamNameFilter({ prefixes: filter.streamPrefixes });
  if (filter?.eventTypes?.length) return eventTypeFilter({ regex: exactlyOneOf(filter.eventTypes) });
  return excludeSystemEvents();
}

/** An empty or absent list does not filter. */
export function matchesAllFilter(event: RecordedEvent, filter: AllFilter | undefined): boolean {
  const prefixes = filter?.streamPrefixes ?? [];
  const types = filter?.eventTypes ?? [];
  return (
    (prefixes.length === 0 || prefixes.some((p) => event.streamId.startsWith(p))) &&
    (types.length === 0 || types.includes(event.type))
  );
}

function exactlyOneOf(values: string[]): string {
  return `^(?:${values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`;
}

function isSystemName(name: string): boolean {
  return name.startsWith('$');
}

function toJsonObject(value: unknown): JsonObject {
  if (value instanceof Uint8Array) return JSON.parse(Buffer.from(value).toString('utf8')) as JsonObject;
  return value as JsonObject;
}
