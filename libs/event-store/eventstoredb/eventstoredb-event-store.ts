import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  LOG_IDENTITY_STREAM,
  WrongExpectedRevisionError,
  type AllFilter,
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../event-store.port.js';
import { assertPosition, UndecodableEventError } from '../event-store.errors.js';
import { EventStoreDbAllSubscription } from './eventstoredb-all-subscription.js';
import {
  decodeEvent,
  isFiltering,
  toEsdbExpectedRevision,
  toEsdbFilter,
  toEventData,
  toPortReadError,
  toReadPosition,
  toWrongExpectedRevisionError,
} from './eventstoredb-mapping.js';
import { PoisonEventLog, type PoisonLogger } from './poison-event-log.js';

/**
 * Where the log id lives: a stream of one event, written once with `no_stream` by the first
 * process that asks. An ordinary stream rather than "the first event of $all": that one is a
 * system record that a scavenge may remove, and reading it needs access to $all, while this
 * stream survives scavenges and backups alike, and a reader needs only stream access.
 */
const LOG_IDENTITY_EVENT = 'LogIdentityCreated';

export interface EventStoreDbOptions {
  /** Where skipped poison events are reported; the console by default. */
  logger?: PoisonLogger;
  /**
   * How long a filtered `readAll` may go without any message from the server (event or
   * checkpoint) before it fails; 10 s, the client's default deadline, by default. A
   * subscription has no deadline of its own, and the server checkpoints a long filtered scan.
   */
  filteredReadStallMs?: number;
}

const DEFAULT_FILTERED_READ_STALL_MS = 10_000;

/** The EventStore port over an EventStoreDB node or cluster (see README: which client, which servers). */
export class EventStoreDbEventStore implements EventStore {
  /** Events that `readAll` and `subscribeToAll` skipped because the port cannot carry them. */
  readonly poisonEvents: PoisonEventLog;
  private readonly filteredReadStallMs: number;
  private readonly subscriptions = new Set<EventStoreDbAllSubscription>();
  private id: Promise<string> | undefined;

  static connect(connectionString: string, options: EventStoreDbOptions = {}): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(withDefaultDeadline(connectionString)), options);
  }

  private constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbOptions,
  ) {
    this.poisonEvents = new PoisonEventLog(options.logger);
    this.filteredReadStallMs = options.filteredReadStallMs ?? DEFAULT_FILTERED_READ_STALL_MS;
  }

  async appendToStream(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const expected = options.expectedRevision ?? 'any';
    if (events.length === 0) return this.appendNothing(streamId, expected);
    try {
      const result = await this.client.appendToStream(streamId, events.map(toEventData), {
        expectedRevision: toEsdbExpectedRevision(expected),
      });
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      // An idempotent retry (and a server that does not know the position) answers without a
      // usable position: the position is that of the stream's last event of the batch.
      const commit = result.position?.commit;
      const position =
        commit !== undefined && commit > 0n && commit <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(commit)
          : await this.positionOf(streamId, nextExpectedRevision);
      return { nextExpectedRevision, position };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw toWrongExpectedRevisionError(error, streamId, expected);
      throw asUnavailable(error);
    }
  }

  /**
   * Events whose position the server does not send (a server older than 22.6, or events of
   * an explicit transaction) make the read fail with UnusablePositionError, and an event the
   * port cannot decode with UndecodableEventError: a stream folded without one of its events
   * would decide on a wrong state.
   */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    if (options.maxCount === 0) return [];
    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
      ...(options.maxCount !== undefined && { maxCount: options.maxCount }),
    });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) {
        const decoded = decodeEvent(resolved);
        if (decoded.kind === 'poison') throw new UndecodableEventError(decoded.poison);
        if (decoded.kind === 'event') events.push(decoded.event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw asUnavailable(error);
    } finally {
      await cancelQuietly(read);
    }
    return events;
  }

  /**
   * A filtered read asks the server to filter: client 6.2.1 sends no filter with `readAll`,
   * so it runs as a server-side filtered catch-up subscription that stops at the head. An
   * unfiltered read reads $all, dropping the event at `after` itself (EventStoreDB starts a
   * read at its position, inclusive).
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = assertPosition(options.after ?? 0);
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (maxCount <= 0) return [];
    if (isFiltering(options.filter)) return this.readAllFiltered(after, maxCount, options.filter);
    const read = this.client.readAll({ fromPosition: toReadPosition(after), direction: FORWARDS });
    try {
      return await this.takeEvents(read, maxCount, (e) => e.position > after);
    } catch (error) {
      throw toPortReadError(error, after);
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const after = assertPosition(options.after ?? 0);
    const subscription = new EventStoreDbAllSubscription(
      // An `onScanned` consumer needs to hear of the events its filter drops, in order with its own:
      // the server's filter would tell only in its "checkpoint reached" messages, which the client
      // delivers apart from the events it still buffers, so the filter is applied here instead.
      this.client.subscribeToAll({ fromPosition: toReadPosition(after), filter: options.onScanned ? undefined : toEsdbFilter(options.filter) }),
      options,
      this.poisonEvents,
      (stopped) => this.subscriptions.delete(stopped),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** The position of the last event of the log that is not a system event; 0 when there is none. */
  async headPosition(): Promise<number> {
    const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS });
    try {
      for await (const resolved of read) {
        const decoded = decodeEvent(resolved);
        if (decoded.kind === 'event') return decoded.event.position;
        if (decoded.kind === 'poison') return decoded.poison.position;
      }
      return 0;
    } finally {
      await cancelQuietly(read);
    }
  }

  logId(): Promise<string> {
    this.id ??= this.readOrCreateLogId();
    // A failure (server down) is not remembered: the next call asks again.
    this.id.catch(() => (this.id = undefined));
    return this.id;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.unsubscribe()));
    await this.client.dispose();
  }

  private async readOrCreateLogId(): Promise<string> {
    const stored = await this.storedLogId();
    if (stored) return stored;
    const logId = randomUUID();
    try {
      await this.appendToStream(LOG_IDENTITY_STREAM, [{ id: logId, type: LOG_IDENTITY_EVENT, data: { logId }, metadata: {} }], {
        expectedRevision: 'no_stream',
      });
      return logId;
    } catch (error) {
      // Another process created it first: its id is the log's.
      const created = await this.storedLogId();
      if (created) return created;
      throw error;
    }
  }

  private async storedLogId(): Promise<string | undefined> {
    const [event] = await this.readStream(LOG_IDENTITY_STREAM, { maxCount: 1 });
    const logId = event?.data.logId;
    return typeof logId === 'string' ? logId : undefined;
  }

  /**
   * What the server does with an empty append, without its answer: it sends `no_stream` for a
   * missing stream, which client 6.2.1 reads as revision 0. The expected revision is checked
   * against the stream's last event; nothing is written.
   */
  private async appendNothing(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    const actual = last ? last.revision : 'no_stream';
    const matches =
      expected === 'any' ||
      (expected === 'no_stream' && actual === 'no_stream') ||
      (expected === 'stream_exists' && actual !== 'no_stream') ||
      expected === actual;
    if (!matches) throw new WrongExpectedRevisionError(streamId, expected, actual);
    return { nextExpectedRevision: last ? last.revision : -1, position: 0 };
  }

  private async readAllFiltered(after: number, maxCount: number, filter: AllFilter | undefined): Promise<RecordedEvent[]> {
    const head = await this.headPosition();
    if (after >= head) return [];
    let subscription: EventStoreDbAllSubscription | undefined;
    let stalled = false;
    let stall: NodeJS.Timeout | undefined;
    const heardFromServer = (): void => {
      clearTimeout(stall);
      stall = setTimeout(() => {
        stalled = true;
        void subscription?.unsubscribe();
      }, this.filteredReadStallMs);
    };
    // The server sends a checkpoint when its catch-up reaches the end of the log, and every
    // `checkpointInterval` pages of events it filtered out; either one at or past the head ends the read.
    const stopAtHead = (_: unknown, position: { commit: bigint }): void => {
      heardFromServer();
      if (position.commit >= BigInt(head)) void subscription?.unsubscribe();
    };
    const raw = this.client.subscribeToAll({ fromPosition: toReadPosition(after), filter: toEsdbFilter(filter, stopAtHead) });
    raw.on('confirmation', heardFromServer);
    raw.on('caughtUp', () => void subscription?.unsubscribe());
    subscription = new EventStoreDbAllSubscription(raw, { after, ...(filter && { filter }) }, this.poisonEvents);
    const events: RecordedEvent[] = [];
    heardFromServer();
    try {
      for await (const event of subscription) {
        heardFromServer();
        if (event.position > head) break;
        events.push(event);
        if (events.length >= maxCount || event.position === head) break;
      }
    } finally {
      clearTimeout(stall);
      await subscription.unsubscribe();
    }
    if (stalled) {
      throw new Error(`EventStoreDB sent nothing for ${this.filteredReadStallMs} ms during a filtered read of $all after position ${after}`);
    }
    return events;
  }

  private async positionOf(streamId: string, revision: number): Promise<number> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (!event) throw new Error(`stream ${streamId} has no event at revision ${revision}`);
    return event.position;
  }

  /** The first `count` port events of a read of $all that `keep` accepts; poison ones are logged and skipped. */
  private async takeEvents(
    read: StreamingRead<AllStreamResolvedEvent>,
    count: number,
    keep: (event: RecordedEvent) => boolean,
  ): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) {
        const decoded = decodeEvent(resolved);
        if (decoded.kind === 'poison') this.poisonEvents.record(decoded.poison);
        if (decoded.kind !== 'event' || !keep(decoded.event)) continue;
        events.push(decoded.event);
        if (events.length >= count) break;
      }
    } finally {
      await cancelQuietly(read);
    }
    return events;
  }
}

/** Ends a read the loop left early; a read whose call was never created has nothing to end. */
async function cancelQuietly(read: { cancel(): Promise<void> }): Promise<void> {
  await read.cancel().catch(() => undefined);
}

/**
 * Every gRPC call gets a deadline (`defaultDeadline`, 10 s unless the connection string sets
 * one): a stuck or unreachable server fails the call instead of hanging it.
 */
export const DEFAULT_DEADLINE_MS = 10_000;
function withDefaultDeadline(connectionString: string): string {
  if (/[?&]defaultDeadline=/i.test(connectionString)) return connectionString;
  return `${connectionString}${connectionString.includes('?') ? '&' : '?'}defaultDeadline=${DEFAULT_DEADLINE_MS}`;
}

/** A deadline that ran out or a server that cannot be reached, as EventStoreUnavailableError; anything else as is. */
function asUnavailable(error: unknown): unknown {
  return error instanceof DeadlineExceededError || error instanceof UnavailableError
    ? new EventStoreUnavailableError(`EventStoreDB did not answer in time: ${error.message}`, { cause: error })
    : error;
}
