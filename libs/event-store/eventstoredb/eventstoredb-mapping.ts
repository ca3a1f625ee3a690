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
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type EventData,
  type Filter,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
  type WrongExpectedVersionError,
} from '@eventstore/db-client';
import { InvalidPositionError, type PoisonEvent } from '../event-store.errors.js';
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

/** What a record read from EventStoreDB is to the port. */
export type DecodedEvent =
  | { kind: 'event'; event: RecordedEvent }
  /** System events (`$` types or streams) and unresolved links: not the port's to show. */
  | { kind: 'hidden' }
  /** Its data or metadata is not a JSON object; it still has a usable position. */
  | { kind: 'poison'; poison: PoisonEvent };

/** `ulong.MaxValue`: what the server sends for a position it does not know. */
const UNKNOWN_POSITION = 2n ** 64n - 1n;
const MAX_SAFE_POSITION = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Why a record has no port position. The port's position is one integer that orders the log;
 * EventStoreDB gives each event a (commit, prepare) pair:
 * - a single append commits each of its events on its own record: commit = prepare, the port
 *   position is that number;
 * - an event written in an explicit transaction (TCP clients, data migrated from v5) shares
 *   its commit position with the rest of the transaction: commit ≠ prepare. One integer cannot
 *   order those events, and a checkpoint inside the transaction would drop the rest of it, so
 *   the adapter refuses them;
 * - on stream reads the server sends `ulong.MaxValue` when it does not know the position
 *   (every stream read on 20.10–21.10, transaction events since 22.6), and the client turns
 *   an unset one into 0.
 */
export class UnusablePositionError extends Error {
  constructor(
    readonly eventId: string,
    readonly streamId: string,
    readonly revision: number,
    readonly commit: bigint | undefined,
    readonly prepare: bigint | undefined,
  ) {
    super(
      `EventStoreDB event ${eventId} of stream ${streamId} at revision ${revision} has no usable log position ` +
        `(commit ${String(commit)}, prepare ${String(prepare)}): ${unusableBecause(commit, prepare)}`,
    );
    this.name = 'UnusablePositionError';
  }
}

function unusableBecause(commit: bigint | undefined, prepare: bigint | undefined): string {
  if (commit === undefined || commit === UNKNOWN_POSITION || commit === 0n || prepare === UNKNOWN_POSITION)
    return 'the server did not send it (EventStoreDB older than 22.6, or an event of an explicit transaction); this adapter needs EventStoreDB 22.10 or later and events written by single appends';
  if (commit !== prepare)
    return 'it was written in an explicit transaction (commit position differs from prepare position); this adapter refuses such events rather than order them wrongly';
  return 'it is beyond 2^53 - 1, the largest position the port carries exactly';
}

/** The port position of an event: its commit position, when the server sent one it can use. */
export function portPositionOf(event: { id: string; streamId: string; revision: bigint; position?: Position }): number {
  const { commit, prepare } = event.position ?? {};
  if (commit === undefined || commit === 0n || commit === UNKNOWN_POSITION || commit !== prepare || commit > MAX_SAFE_POSITION) {
    throw new UnusablePositionError(event.id, event.streamId, Number(event.revision), commit, prepare);
  }
  return Number(commit);
}

/**
 * The port's view of a record read from EventStoreDB. Throws UnusablePositionError for an
 * event the port cannot place in the log (see there); never passes such a position on.
 */
export function decodeEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): DecodedEvent {
  const event = resolved.event;
  if (!event || isSystemName(event.type) || isSystemName(event.streamId)) return { kind: 'hidden' };
  const position = portPositionOf(event);
  const data = toJsonObject(event.data);
  const metadata = event.metadata === undefined ? {} : toJsonObject(event.metadata);
  const base = { id: event.id, type: event.type, streamId: event.streamId, revision: Number(event.revision), position };
  if (typeof data === 'string') return { kind: 'poison', poison: { ...base, reason: `data ${data}` } };
  if (typeof metadata === 'string') return { kind: 'poison', poison: { ...base, reason: `metadata ${metadata}` } };
  return { kind: 'event', event: { ...base, data, metadata, recordedAt: event.created.toISOString() } };
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
export function toEsdbFilter(filter: AllFilter | undefined, checkpointReached?: CheckpointReached): Filter {
  const checkpoints = checkpointReached ? { checkpointReached } : {};
  if (filter?.streamPrefixes?.length) return streamNameFilter({ prefixes: filter.streamPrefixes, ...checkpoints });
  if (filter?.eventTypes?.length) return eventTypeFilter({ regex: exactlyOneOf(filter.eventTypes), ...checkpoints });
  return excludeSystemEvents(checkpoints);
}

type CheckpointReached = (subscription: AllStreamSubscription, position: Position) => void;

/** Whether the filter selects anything less than the whole log. */
export function isFiltering(filter: AllFilter | undefined): boolean {
  return Boolean(filter?.streamPrefixes?.length || filter?.eventTypes?.length);
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

/**
 * A JSON object, or why the content is not one. The client hands JSON content over parsed,
 * malformed JSON as the string it could not parse, and other content types as bytes.
 */
function toJsonObject(value: unknown): JsonObject | string {
  if (value instanceof Uint8Array) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(value);
    } catch {
      return `is ${value.length} bytes that are not UTF-8 text`;
    }
    try {
      value = JSON.parse(text);
    } catch {
      return `is not JSON: ${JSON.stringify(text.slice(0, 40))}${text.length > 40 ? '…' : ''}`;
    }
  } else if (typeof value === 'string') {
    return `is malformed JSON (or a bare JSON string): ${JSON.stringify(value.slice(0, 40))}${value.length > 40 ? '…' : ''}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `is JSON but not an object: ${JSON.stringify(value)?.slice(0, 40)}`;
  return value as JsonObject;
}

/** gRPC INVALID_ARGUMENT, as the server's `RpcExceptions.InvalidPositionException` answers. */
const INVALID_ARGUMENT = 3;

/**
 * A read error in the port's terms. A read from a position that is not a record of this log
 * fails with "Trying to read from an invalid position." — and would at every retry: it
 * becomes InvalidPositionError, which names the position.
 */
export function toPortReadError(error: unknown, after: number): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && code === INVALID_ARGUMENT && /invalid position/i.test(error.message)) {
    return new InvalidPositionError(after, 'not-a-record-boundary', `EventStoreDB: ${error.message}`);
  }
  return error;
}
