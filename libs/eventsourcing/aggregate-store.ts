import { randomUUID } from 'node:crypto';
import type { Decider } from './decider.js';
import type { AnyRecordedEvent, Appended, DomainEvent } from './domain-event.js';
import { VersionConflictError } from './domain-errors.js';
import { deterministicId } from './deterministic-id.js';
import type { CommandContext, EventMetadata } from './event-metadata.js';
import { RecentStates, type RecentState } from './recent-states.js';
import type { SnapshotStore } from './snapshots/snapshot-store.port.js';
import { WrongExpectedRevisionError, type EventStore } from '../event-store/event-store.port.js';

/** Who may do this: checked on the loaded state before `decide` (or before a read answers); throws NotFound or Forbidden. */
export type Authorize<S> = (state: S) => void | Promise<void>;

export interface HandleOptions<S> {
  /** Tenancy and permissions, checked once per attempt on the state the command is decided against. */
  authorize?: Authorize<S>;
  /** The key that protects `data.personal` of the events (DESIGN.md, crypto-shredding), and the stream's snapshots. */
  personalDataKey?: string;
}

export interface CommandResult<S, E extends DomainEvent> {
  /** The state after the command. */
  state: S;
  /** The events this command appended (none for a no-op; for an idempotent replay, those of the first call). */
  appended: Appended<E>[];
  /** The stream's version (see `versionOf`): what If-Match takes. */
  version: number;
  /** Log position of the stream's last event (of the first call's last, for a replay): what ?minPosition= takes. */
  position: number;
  /** True when the idempotency key had already been used and this answers the first result. */
  replayed: boolean;
}

export interface LoadOptions<S> {
  /** Only the events that occurred at or before this time (ISO-8601): the state as it was then. */
  asOf?: string;
  authorize?: Authorize<S>;
}

/** Writes with a schema version per event type, inside the published contract: the composition root's merged registry. */
export interface SchemaVersions {
  schemaVersionOf(eventType: string): number;
  /** Throws when the event's type or data is outside the published schemas (see EventSchemaRegistry). */
  checkAppended?(event: { type: string; data: unknown }): void;
}

export interface AggregateStoreOptions {
  recent?: RecentStates;
  /** Where the states of deciders with a `snapshotSchema` are kept; without it, `asOf` folds from the first event. */
  snapshots?: SnapshotStore;
  /** A snapshot is saved when a command takes its stream past a multiple of this many events. */
  snapshotEvery?: number;
  /** A snapshot that cannot be saved or read costs a longer read of the log, not the request: this hears of it. */
  onSnapshotFailure?: (error: unknown) => void;
}

const MAX_ATTEMPTS = 20;
const SNAPSHOT_EVERY = 100;
/** Events read at a time for `asOf`, which stops at the first event after the time. */
const AS_OF_PAGE = 256;

/**
 * Runs a command against a decider's stream: load, fold, authorize, decide, append with the
 * expected revision. Without If-Match a concurrent write makes it re-read and decide again, so
 * no writer's update is lost; with If-Match the conflict goes back to the caller. A stream's
 * recent state (see RecentStates) spares reading and folding again what a command already saw.
 *
 * Events of a stream never go back in time: an event's `occurredAt` is the command's time, or
 * the stream's latest if that is later (a command that lost a race appends after the winner). So
 * the state as it was at a time is a prefix of the stream, and folds from the latest snapshot
 * before that time (saved every `snapshotEvery` events) up to the first event after it.
 */
export class AggregateStore {
  private readonly recent: RecentStates;
  private readonly snapshotEvery: number;

  constructor(
    private readonly store: EventStore,
    private readonly schemas: SchemaVersions,
    private readonly options: AggregateStoreOptions = {},
  ) {
    this.recent = options.recent ?? new RecentStates();
    this.snapshotEvery = options.snapshotEvery ?? SNAPSHOT_EVERY;
  }

  async handle<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    command: C,
    context: CommandContext,
    options: HandleOptions<S> = {},
  ): Promise<CommandResult<S, E>> {
    for (let attempt = 1; ; attempt++) {
      let current: RecentState<S>;
      if (context.idempotencyKey) {
        // A replay is known by the ids of the events the key wrote: that takes the whole stream.
        const recorded: AnyRecordedEvent[] = await this.store.readStream(streamId);
        const replay = replayOf(recorded, streamId, context, context.idempotencyKey);
        if (replay) {
          const appended = replay.mine.filter(decider.isEvent);
          return { state: fold(decider, replay.history), appended, version: versionOf(replay.history), position: replay.position, replayed: true };
        }
        current = this.remember(decider, streamId, stateOf(decider, recorded));
      } else {
        current = await this.readOn(streamId, decider);
      }

      const { state, version } = current;
      await options.authorize?.(state);
      if (context.expectedVersion !== undefined && context.expectedVersion !== version) {
        throw new VersionConflictError(context.expectedVersion, version);
      }
      const decided = decider.decide(command, state);
      if (decided.length === 0) return { ...current, appended: [], replayed: false };

      const occurredAt = laterOf(context.now.toISOString(), current.occurredUntil);
      const appended = decided.map((event, index) => this.toAppended(event, version + index, index, streamId, context, occurredAt, options.personalDataKey));
      try {
        const { position } = await this.store.appendToStream(
          streamId,
          appended.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })),
          { expectedRevision: version === 0 ? 'no_stream' : version - 1 },
        );
        const after = this.remember(decider, streamId, { state: appended.reduce(decider.evolve, state), version: version + appended.length, position, occurredUntil: occurredAt });
        await this.snapshotIfDue(streamId, decider, version, after, options.personalDataKey);
        return { ...after, appended, replayed: false };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        const actualVersion = error.actual === 'no_stream' ? 0 : error.actual + 1;
        if (context.expectedVersion !== undefined) throw new VersionConflictError(context.expectedVersion, actualVersion);
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The decider's state of a stream (as it was at `asOf`, if given), and its version then. */
  async load<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    options: LoadOptions<S> = {},
  ): Promise<{ state: S; version: number }> {
    const current = options.asOf === undefined ? await this.readOn(streamId, decider) : await this.stateAsOf(streamId, decider, options.asOf);
    await options.authorize?.(current.state);
    return { state: current.state, version: current.version };
  }

  /** The stream's state now: its recent state and the events after it, else the whole stream. */
  private async readOn<C, S, E extends DomainEvent>(streamId: string, decider: Decider<C, S, E>): Promise<RecentState<S>> {
    const recent = this.recent.get<S>(decider, streamId);
    if (!recent) return this.remember(decider, streamId, stateOf(decider, await this.store.readStream(streamId)));
    const after = await this.store.readStream(streamId, { fromRevision: recent.version });
    if (after.length === 0) return recent;
    return this.remember(decider, streamId, {
      state: fold(decider, after, recent.state),
      version: versionOf(after),
      position: after.at(-1)!.position,
      occurredUntil: latestOccurredAt(after, recent.occurredUntil),
    });
  }

  /** The state after the events that occurred at or before `asOf`: from the latest snapshot before it, up to the first event after it. */
  private async stateAsOf<C, S, E extends DomainEvent>(streamId: string, decider: Decider<C, S, E>, asOf: string): Promise<RecentState<S>> {
    const until = Date.parse(asOf);
    const snapshot = await this.snapshotUntil(streamId, decider, new Date(until).toISOString());
    let current = snapshot && (await this.holdsIn(streamId, snapshot)) ? snapshot : stateOf(decider, []);
    for (;;) {
      const page = await this.store.readStream(streamId, { fromRevision: current.version, maxCount: AS_OF_PAGE });
      const later = page.findIndex((event) => timeOf(event) > until);
      const then = later < 0 ? page : page.slice(0, later);
      if (then.length > 0) {
        const folded = then.filter((event) => !Number.isNaN(timeOf(event)));
        current = { state: fold(decider, folded, current.state), version: versionOf(then), position: then.at(-1)!.position, occurredUntil: latestOccurredAt(then, current.occurredUntil) };
      }
      if (later >= 0 || page.length < AS_OF_PAGE) return current;
    }
  }

  private async snapshotUntil<C, S, E extends DomainEvent>(streamId: string, decider: Decider<C, S, E>, until: string): Promise<RecentState<S> | undefined> {
    if (!this.options.snapshots || !decider.snapshotSchema) return undefined;
    try {
      const snapshot = await this.options.snapshots.latestUntil(streamId, decider.snapshotSchema, until);
      return snapshot && { state: snapshot.state as S, version: snapshot.version, position: snapshot.position, occurredUntil: snapshot.occurredUntil };
    } catch (error) {
      this.options.onSnapshotFailure?.(error);
      return undefined;
    }
  }

  /** A snapshot holds for this log only if the log has the snapshot's last event where it says (not a snapshot of another log, or of a log restored to an earlier state). */
  private async holdsIn(streamId: string, snapshot: RecentState<unknown>): Promise<boolean> {
    const [last] = await this.store.readStream(streamId, { fromRevision: snapshot.version - 1, maxCount: 1 });
    return last?.revision === snapshot.version - 1 && last.position === snapshot.position;
  }

  private async snapshotIfDue<C, S, E extends DomainEvent>(streamId: string, decider: Decider<C, S, E>, before: number, after: RecentState<S>, personalDataKey?: string): Promise<void> {
    const schema = decider.snapshotSchema;
    if (!this.options.snapshots || !schema || Math.floor(before / this.snapshotEvery) === Math.floor(after.version / this.snapshotEvery)) return;
    try {
      const { state, version, position, occurredUntil } = after;
      await this.options.snapshots.save({ streamId, schema, version, position, occurredUntil: occurredUntil!, state, ...(personalDataKey ? { personalDataKey } : {}) });
    } catch (error) {
      this.options.onSnapshotFailure?.(error);
    }
  }

  private remember<S>(decider: object, streamId: string, current: RecentState<S>): RecentState<S> {
    this.recent.set(decider, streamId, current);
    return current;
  }

  private toAppended<E extends DomainEvent>(
    event: E,
    revision: number,
    index: number,
    streamId: string,
    context: CommandContext,
    occurredAt: string,
    personalDataKey: string | undefined,
  ): Appended<E> {
    this.schemas.checkAppended?.(event);
    const metadata: EventMetadata = {
      workspace: context.workspace,
      actor: context.actor,
      source: context.source,
      correlationId: context.correlationId,
      causationId: context.causationId,
      schemaVersion: this.schemas.schemaVersionOf(event.type),
      occurredAt,
      ...(personalDataKey ? { personalDataKey } : {}),
    };
    const id = context.idempotencyKey ? idempotentEventId(streamId, context, context.idempotencyKey, index) : randomUUID();
    return { ...event, id, metadata, revision };
  }
}

/**
 * The revision the next event of the stream gets: its number of events, unless the log dropped
 * its first ones (EventStoreDB truncation or soft deletion: the stream then starts above 0).
 */
function versionOf(events: ReadonlyArray<{ revision: number }>): number {
  const last = events.at(-1);
  return last ? last.revision + 1 : 0;
}

/**
 * The decider's state: it folds its own events, typed by its guard, and passes over the others
 * (the workspace stream holds the events of several deciders: permissions, tags, custom fields).
 */
function fold<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, events: readonly AnyRecordedEvent[], from: S = decider.initialState()): S {
  return events.filter(decider.isEvent).reduce(decider.evolve, from);
}

function stateOf<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, recorded: readonly AnyRecordedEvent[]): RecentState<S> {
  return { state: fold(decider, recorded), version: versionOf(recorded), position: recorded.at(-1)?.position ?? 0, occurredUntil: latestOccurredAt(recorded, null) };
}

/** ISO-8601 UTC times as `toISOString` writes them compare as strings. */
function laterOf(time: string, other: string | null): string {
  return other !== null && other > time ? other : time;
}

/** The latest `occurredAt` of these events and `from` (events written before times were kept in order may go back). */
function latestOccurredAt(events: readonly AnyRecordedEvent[], from: string | null): string | null {
  return events.reduce<string | null>((latest, event) => {
    const occurredAt = occurredAtOf(event);
    return occurredAt === undefined ? latest : laterOf(occurredAt, latest);
  }, from);
}

function occurredAtOf(event: AnyRecordedEvent): string | undefined {
  const { occurredAt } = event.metadata as { occurredAt?: unknown };
  return typeof occurredAt === 'string' ? occurredAt : undefined;
}

/** When the event occurred, in ms; NaN when the log does not say (such an event is left out of a past state). */
function timeOf(event: AnyRecordedEvent): number {
  return Date.parse(occurredAtOf(event) ?? '');
}

/** The events a previous call with this idempotency key appended, with all that came before them. */
function replayOf(recorded: AnyRecordedEvent[], streamId: string, context: CommandContext, key: string) {
  const first = recorded.findIndex((event) => event.id === idempotentEventId(streamId, context, key, 0));
  if (first < 0) return undefined;
  let last = first;
  while (recorded[last + 1]?.id === idempotentEventId(streamId, context, key, last + 1 - first)) last++;
  const history = recorded.slice(0, last + 1);
  return { history, mine: history.slice(first), position: recorded[last]!.position };
}

/** Keys are scoped by workspace, actor and stream: two callers can never collide on one key. */
function idempotentEventId(streamId: string, context: CommandContext, key: string, index: number): string {
  return deterministicId('idempotency', context.workspace, context.actor.id, key, streamId, String(index));
}
