import { randomUUID } from 'node:crypto';
import type { Decider } from '../domain/decider.js';
import { VersionConflictError } from '../shared-kernel/domain-errors.js';
import { deterministicId } from '../shared-kernel/deterministic-id.js';
import type { CommandContext, EventMetadata } from '../shared-kernel/event-metadata.js';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
} from './event-store.port.js';

export interface DomainEvent {
  type: string;
  data: JsonObject;
}

export interface HandleOptions {
  /** The stream version (number of events) the caller saw: If-Match. A mismatch is a 409. */
  expectedVersion?: number;
  /** A retry with the same key answers the first result and appends nothing (event ids derive from it). */
  idempotencyKey?: string;
  /** The key that protects `data.personal` of the events (DESIGN.md, crypto-shredding). */
  personalDataKey?: string;
}

/** An event as folded by views: recorded, or just appended. */
export interface StoredEvent<E extends DomainEvent = DomainEvent> {
  id: string;
  type: E['type'];
  data: E['data'];
  metadata: EventMetadata;
  revision: number;
  /** Known for events read back from the log; the batch just appended has only its last position. */
  position?: number;
}

export interface HandleResult<S, E extends DomainEvent> {
  state: S;
  /** Every event of the stream after the command, the new ones included. */
  events: StoredEvent<E>[];
  /** The events this command appended (none for a no-op, or for an idempotent replay). */
  appended: StoredEvent<E>[];
  /** The stream's number of events: what If-Match takes. */
  version: number;
  /** Log position of the stream's last event: what ?minPosition= takes. */
  position: number;
  /** True when the idempotency key had already been used and this answers the first result. */
  replayed: boolean;
}

const MAX_ATTEMPTS = 20;

/**
 * Runs a command against a decider's stream: load, fold, decide, append with the expected
 * revision. Without If-Match a concurrent write makes it re-read and decide again, so no
 * writer's update is lost; with If-Match the conflict goes back to the caller.
 */
export class AggregateStore {
  constructor(
    private readonly store: EventStore,
    private readonly schemaVersionOf: (eventType: string) => number,
  ) {}

  async handle<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    command: C,
    context: CommandContext,
    options: HandleOptions = {},
  ): Promise<HandleResult<S, E>> {
    for (let attempt = 1; ; attempt++) {
      const recorded = await this.store.readStream(streamId);
      const replay = options.idempotencyKey && this.replayOf(recorded, streamId, context, options.idempotencyKey);
      if (replay) {
        return resultOf(fold(decider, replay.history), replay.history.map(storedOf<E>), replay.mine.map(storedOf<E>), true);
      }

      const version = recorded.length;
      if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
        throw new VersionConflictError(options.expectedVersion, version);
      }
      const state = fold(decider, recorded);
      const decided = decider.decide(command, state);
      const history = recorded.map(storedOf<E>);
      if (decided.length === 0) return resultOf(state, history, [], false);

      const newEvents = decided.map((event, index) => this.toNewEvent(event, index, streamId, context, options));
      try {
        const { position } = await this.store.appendToStream(streamId, newEvents, {
          expectedRevision: version === 0 ? 'no_stream' : version - 1,
        });
        const appended = newEvents.map((event, index) => storedOf<E>({ ...event, revision: version + index }));
        const newState = decided.reduce(decider.evolve, state);
        return { ...resultOf(newState, [...history, ...appended], appended, false), position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        const actualVersion = error.actual === 'no_stream' ? 0 : error.actual + 1;
        if (options.expectedVersion !== undefined) throw new VersionConflictError(options.expectedVersion, actualVersion);
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The decider's current state of a stream, and its version. */
  async load<C, S, E extends DomainEvent>(streamId: string, decider: Decider<C, S, E>): Promise<{ state: S; version: number }> {
    const recorded = await this.store.readStream(streamId);
    return { state: fold(decider, recorded), version: recorded.length };
  }

  /** The events a previous call with this idempotency key appended, with all that came before them. */
  private replayOf(recorded: RecordedEvent[], streamId: string, context: CommandContext, key: string) {
    const first = recorded.findIndex((event) => event.id === idempotentEventId(streamId, context, key, 0));
    if (first < 0) return undefined;
    let last = first;
    while (recorded[last + 1]?.id === idempotentEventId(streamId, context, key, last + 1 - first)) last++;
    return { history: recorded.slice(0, last + 1), mine: recorded.slice(first, last + 1) };
  }


  private toNewEvent(event: DomainEvent, index: number, streamId: string, context: CommandContext, options: HandleOptions): NewEvent {
    const metadata: EventMetadata = {
      workspace: context.workspace,
      actor: context.actor,
      source: context.source,
      correlationId: context.correlationId,
      causationId: context.causationId,
      schemaVersion: this.schemaVersionOf(event.type),
      occurredAt: context.now.toISOString(),
      ...(options.personalDataKey ? { personalDataKey: options.personalDataKey } : {}),
    };
    return {
      id: options.idempotencyKey ? idempotentEventId(streamId, context, options.idempotencyKey, index) : randomUUID(),
      type: event.type,
      data: event.data,
      metadata: metadata as unknown as JsonObject,
    };
  }
}

function resultOf<S, E extends DomainEvent>(state: S, events: StoredEvent<E>[], appended: StoredEvent<E>[], replayed: boolean): HandleResult<S, E> {
  return { state, events, appended, version: events.length, position: events.at(-1)?.position ?? 0, replayed };
}

function fold<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, recorded: RecordedEvent[]): S {
  return recorded.reduce((state, event) => decider.evolve(state, { type: event.type, data: event.data } as E), decider.initialState());
}

function storedOf<E extends DomainEvent>(event: Pick<RecordedEvent, 'id' | 'type' | 'data' | 'metadata' | 'revision'> & { position?: number }): StoredEvent<E> {
  const { id, type, data, metadata, revision, position } = event;
  return { id, type, data, metadata: metadata as unknown as EventMetadata, revision, ...(position ? { position } : {}) };
}

/** Keys are scoped by workspace, actor and stream: two callers can never collide on one key. */
function idempotentEventId(streamId: string, context: CommandContext, key: string, index: number): string {
  return deterministicId('idempotency', context.workspace, context.actor.id, key, streamId, String(index));
}
