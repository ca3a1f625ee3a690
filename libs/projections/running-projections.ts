/** Projections kept up to date with the log by this process, on its own event loop (ProjectionRunner) or on a thread of its own. */
export interface RunningProjections {
  /** Starts following the log (after checking the read models are this log's); resolves without waiting for a catch-up. */
  start(where?: string): Promise<void>;
  /** Resolves once every batch in flight is applied and checkpointed. */
  stop(): Promise<void>;
  /** True once every projection has handled the event at `position`; false after `timeoutMs`. */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean>;
}
