/**
 * Snapshots of a decider's state at a version of its stream, so that the state as it was at a
 * past time (`asOf`) folds from the latest snapshot before that time instead of from the first
 * event. A snapshot is derived data: losing one costs a longer read of the log, never a wrong state.
 */
export interface Snapshot<S = unknown> {
  streamId: string;
  /** The decider's `snapshotSchema`: a snapshot of another schema is never used. */
  schema: string;
  /** The stream's version after the last event folded into `state`. */
  version: number;
  /** Log position of that event. */
  position: number;
  /** The latest `occurredAt` among the events folded into `state`. */
  occurredUntil: string;
  state: S;
  /** The key `state` is sealed with, when it holds personal data (crypto-shredding). */
  personalDataKey?: string;
}

export interface SnapshotStore {
  /** Idempotent: saving the same stream, schema and version again keeps one snapshot. */
  save(snapshot: Snapshot): Promise<void>;
  /** The snapshot of the stream with the highest version among those whose events all occurred at or before `until` (ISO-8601). */
  latestUntil(streamId: string, schema: string, until: string): Promise<Snapshot | undefined>;
}
