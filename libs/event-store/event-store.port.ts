/**
 * The EventStore port: an append-only log of streams with a global order, modelled on
 * EventStoreDB so that the SQLite adapter and the EventStoreDB adapter are interchangeable.
 *
 * - Stream revisions start at 0 and grow by one per event.
 * - Positions are positive integers, strictly increasing across the whole log; 0 means
 *   "before the first event". Checkpoints store the position of the last event handled,
 *   and reads `after` a position return only later events. A position is only meaningful
 *   in the log that gave it: `readAll` and `subscribeToAll` refuse an `after` that is not a
 *   non-negative safe integer, or (EventStoreDB) not a record of the log, with
 *   InvalidPositionError (event-store.errors.ts); `readAll({ after, maxCount: 1 })` checks a
 *   checkpoint that way. A position beyond `headPosition()` is not refused: whoever holds a
 *   checkpoint compares it with the head.
 * - Events carry JSON objects. An event another writer left in the log with other content
 *   (bytes, malformed JSON) is poison: `readAll` and `subscribeToAll` skip it and report it
 *   (the EventStoreDB adapter logs and counts it); `readStream` refuses its stream with
 *   UndecodableEventError. The SQLite adapter writes only the JSON it serialises.
 *
 * Idempotency — what the port guarantees, and all that AggregateStore relies on:
 * - Appending, at an exact expected revision (a number, or `no_stream`), a batch whose event
 *   ids the stream already holds in order right after that revision is a no-op answering the
 *   original result, however far the stream has moved on since. EventStoreDB checks this
 *   against its index, SQLite against its table. A batch only partly there is refused.
 * - Nothing more: with `any` or `stream_exists` a repeated batch may be recognised, refused
 *   or written again (EventStoreDB remembers ids for those only in a bounded in-memory cache
 *   that a restart or a busy log empties), and an id already used in another stream may be
 *   refused (SQLite) or accepted (EventStoreDB). So the AggregateStore reads the stream
 *   first (it finds an idempotency key's events there), appends at the exact revision it
 *   read, and producers make event ids unique across the log (random UUIDs, or
 *   `deterministicId` over the stream id and the key).
 */

export type JsonObject = { [key: string]: unknown };

/**
 * The event envelope. The log stores any JSON object as `data` and `metadata`; the parameters
 * let the layers above name what they hold (libs/eventsourcing types domain events with them).
 */
export interface NewEvent<Type extends string = string, Data extends object = JsonObject, Metadata extends object = JsonObject> {
  /** UUID, unique across the log; see the idempotency note above for what a repeated id does. */
  id: string;
  type: Type;
  data: Data;
  metadata: Metadata;
}

export interface RecordedEvent<Type extends string = string, Data extends object = JsonObject, Metadata extends object = JsonObject>
  extends NewEvent<Type, Data, Metadata> {
  streamId: string;
  revision: number;
  position: number;
  /** ISO-8601 time at which the log recorded the event. */
  recordedAt: string;
}

/** `no_stream`: the stream must not exist; `stream_exists`: it must; a number: its last revision. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  nextExpectedRevision: number;
  /** Position of the last event of the batch. */
  position: number;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Forwards defaults to the start, backwards to the end. */
  fromRevision?: number;
  maxCount?: number;
}

/** With both lists, an event must match both; an absent or empty list does not filter. */
export interface AllFilter {
  /** Keep events whose stream id starts with one of these. */
  streamPrefixes?: string[];
  /** Keep events of these types. */
  eventTypes?: string[];
}

export interface ReadAllOptions {
  /** Exclusive: only events with a greater position. Defaults to 0 (from the start). */
  after?: number;
  maxCount?: number;
  filter?: AllFilter;
}

export interface SubscribeToAllOptions {
  /** Exclusive, like `ReadAllOptions.after`: a checkpoint is passed as is. */
  after?: number;
  filter?: AllFilter;
  /**
   * Called with a position when every event of the filter up to it has been yielded (pulled by
   * the consumer): a filtered consumer's checkpoint may move there although no event of its
   * own came (EventStoreDB's "checkpoint reached"). Called from within the iteration, in order.
   */
  onScanned?: (position: number) => void;
}

/**
 * Catches up from `after`, then follows new appends, in position order, with no gaps. It ends
 * only by `unsubscribe()` (or the store's `close()`); any other end — the server ending it,
 * a failure before or after the first event — is an error thrown from `next()`, so the
 * consumer starts again from its checkpoint. Leaving a `for await` loop early unsubscribes.
 */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  unsubscribe(): Promise<void>;
}

export interface EventStore {
  /**
   * Appends a batch atomically. An empty batch writes nothing: it is checked against the
   * expected revision, and answers the stream's last revision (−1 when there is no stream)
   * and position 0.
   */
  appendToStream(streamId: string, events: readonly NewEvent<string, object, object>[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * The stream's events; an empty array when the stream does not exist. Revisions are as
   * recorded: a stream whose first events the log dropped (EventStoreDB truncation or soft
   * deletion) starts above 0, so a stream's version is its last revision + 1, not its length.
   */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;
  /** Position of the last event in the log; 0 when the log is empty. */
  headPosition(): Promise<number>;
  /**
   * The identity of this log: an id created once with it, the same for every process and every
   * call on this log, different for any other log (a new file, another server). Positions of
   * one log mean nothing in another: whoever keeps positions (checkpoints) records this id
   * beside them.
   */
  logId(): Promise<string>;
  close(): Promise<void>;
}

/** Raised when the stream is not at the expected revision. Nothing of the batch is written. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's last revision, or 'no_stream'. */
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/**
 * The log did not answer within its bounds (EventStoreDB deadlines, a busy SQLite file) or cannot
 * be reached: a request answers 503 with Retry-After, a projection retries later. Nothing of an
 * append that fails so is known to be written or not: a retry with the same event ids is safe.
 */
export class EventStoreUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}

export const EVENT_STORE = Symbol('EventStore');

/**
 * A stream the adapters may keep the log id in (EventStoreDB does): not an event of the
 * service's, and never copied from one log into another.
 */
export const LOG_IDENTITY_STREAM = 'contact-profiles-log-identity';
