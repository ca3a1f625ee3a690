import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event-store.port.js';
import { EventStoreDbAllSubscription } from './eventstoredb-all-subscription.js';
import {
  matchesAllFilter,
  toEsdbExpectedRevision,
  toEsdbFilter,
  toEventData,
  toReadPosition,
  toRecordedEvent,
  toWrongExpectedRevisionError,
} from './eventstoredb-mapping.js';

/** The EventStore port over an EventStoreDB node or cluster. */
export class EventStoreDbEventStore implements EventStore {
  static connect(connectionString: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  private constructor(private readonly client: EventStoreDBClient) {}

  async appendToStream(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const expected = options.expectedRevision ?? 'any';
    try {
      const result = await this.client.appendToStream(streamId, events.map(toEventData), {
        expectedRevision: toEsdbExpectedRevision(expected),
      });
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      // An idempotent retry succeeds without a position: it is that of the event already there.
      const position =
        result.position && result.position.commit >= 0n
          ? Number(result.position.commit)
          : await this.positionOf(streamId, nextExpectedRevision);
      return { nextExpectedRevision, position };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw toWrongExpectedRevisionError(error, streamId, expected);
      throw error;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
      ...(options.maxCount !== undefined && { maxCount: options.maxCount }),
    });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /**
   * EventStoreDB reads $all without filters, so this one filters on the client, and drops
   * the event at `after` itself: EventStoreDB starts a read at its position, inclusive.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? 0;
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (maxCount <= 0) return [];
    const read = this.client.readAll({ fromPosition: toReadPosition(after), direction: FORWARDS });
    return takeEvents(read, maxCount, (e) => e.position > after && matchesAllFilter(e, options.filter));
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const subscription = this.client.subscribeToAll({
      fromPosition: toReadPosition(options.after ?? 0),
      filter: toEsdbFilter(options.filter),
    });
    return new EventStoreDbAllSubscription(subscription, options);
  }

  async headPosition(): Promise<number> {
    const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS });
    const [last] = await takeEvents(read, 1, () => true);
    return last?.position ?? 0;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private async positionOf(streamId: string, revision: number): Promise<number> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (!event) throw new Error(`stream ${streamId} has no event at revision ${revision}`);
    return event.position;
  }
}

/** The first `count` port events of a read of $all that `keep` accepts; then the read is cancelled. */
async function takeEvents(
  read: StreamingRead<AllStreamResolvedEvent>,
  count: number,
  keep: (event: RecordedEvent) => boolean,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  try {
    for await (const resolved of read) {
      const event = toRecordedEvent(resolved);
      if (!event || !keep(event)) continue;
      events.push(event);
      if (events.length >= count) break;
    }
  } finally {
    await read.cancel();
  }
  return events;
}
