/**
 * The EventStore port: an append-only log of streams with a global order, modelled on
 * EventStoreDB so that the SQLite adapter and the EventStoreDB adapter are interchangeable.
 *
 * - Stream revisions start at 0 and grow by one per event.
 * - Positions are positive integers, strictly increasing across the whole log; 0 means
 *   "before the first event". Checkpoints store the position of the last event handled,
 *   and reads `after` a position return only later events.
 */

export type JsonObject = { [key: string]: unknown };

export interface NewEvent {
  /** UUID; appending an event id that the stream already holds is a no-op. */
  id: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
}

export interface RecordedEvent {
  id: string;
  type: string;
  streamId: string;
  revision: number;
  position: number;
  data: JsonObject;
  metadata: JsonObject;
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
}

/** Catches up from `after`, then follows new appends, in position order, with no gaps. */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  unsubscribe(): Promise<void>;
}

export interface EventStore {
  appendToStream(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** The stream's events; an empty array when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;
  /** Position of the last event in the log; 0 when the log is empty. */
  headPosition(): Promise<number>;
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

export const EVENT_STORE = Symbol('EventStore');
