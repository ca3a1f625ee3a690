import { LRUCache } from 'lru-cache';

/** A decider's state of a stream at a version, and the log position of the event that made it. */
export interface RecentState<S> {
  state: S;
  version: number;
  position: number;
  /** The latest `occurredAt` of the stream's events (null for an empty stream): the next event's time is not earlier. */
  occurredUntil: string | null;
}

export interface RecentStatesOptions {
  /** Streams kept per decider; the least recently used goes first. */
  max: number;
  /** How long a state is kept unused: it only saves reads, so a cold stream need not stay. */
  ttlMs: number;
}

export const RECENT_STATES_DEFAULTS: RecentStatesOptions = { max: 10_000, ttlMs: 60_000 };

/**
 * The states commands last saw, per decider and stream, so the next command reads only the events
 * that came after. A state here may be behind the log (another process wrote since): the reader
 * reads on from its version, and an append is still checked against the log's revision, so a
 * state that is behind costs a retry, never a lost update. States are immutable (deciders are pure).
 */
export class RecentStates {
  private readonly byDecider = new WeakMap<object, LRUCache<string, RecentState<unknown>>>();

  constructor(private readonly options: RecentStatesOptions = RECENT_STATES_DEFAULTS) {}

  get<S>(decider: object, streamId: string): RecentState<S> | undefined {
    return this.byDecider.get(decider)?.get(streamId) as RecentState<S> | undefined;
  }

  set<S>(decider: object, streamId: string, recent: RecentState<S>): void {
    let states = this.byDecider.get(decider);
    if (!states) {
      states = new LRUCache<string, RecentState<unknown>>({ max: this.options.max, ttl: this.options.ttlMs, ttlAutopurge: false });
      this.byDecider.set(decider, states);
    }
    // A slower writer must not put back a state older than the one another command left.
    const kept = states.get(streamId);
    if (!kept || kept.version <= recent.version) states.set(streamId, recent);
  }
}
