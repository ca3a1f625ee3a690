import { Worker } from 'node:worker_threads';
import type { AppConfig } from '../../libs/config/config.js';
import type { ProjectionProgress, OnProgress } from '../../libs/projections/projection-progress.js';
import type { RunningProjections } from '../../libs/projections/running-projections.js';
import { PositionWaiters } from '../../libs/projections/position-waiters.js';

/** What the API thread sends the projection thread. */
export type ToProjectionThread = { kind: 'stop' };

/** What the projection thread reports. */
export type FromProjectionThread =
  | { kind: 'started' }
  | { kind: 'failed'; error: ThreadError }
  | { kind: 'position'; position: number }
  | { kind: 'progress'; progress: ProjectionProgress }
  | { kind: 'error'; message: string; error: ThreadError };

export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
}

export interface ProjectionThreadData {
  config: AppConfig;
  where: string | undefined;
}

export interface ProjectionThreadLogger {
  error(message: string, trace?: string): void;
}

/** A stop that the thread does not finish in this time (a batch stuck on a store) ends the thread anyway. */
const STOP_TIMEOUT_MS = 10_000;

// Run from the TypeScript sources (jest, test/support/register-ts.mjs), the thread needs the same loader.
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const ENTRY = new URL(`./projection-thread.worker.${FROM_SOURCES ? 'ts' : 'js'}`, import.meta.url);
const EXEC_ARGV = FROM_SOURCES ? ['--import', new URL('../../test/support/register-ts.mjs', import.meta.url).href] : undefined;

/**
 * Every projection of the service on a worker thread of the API process: its own connections to
 * the log and the read models (SQLite files or servers), its own event loop and core, so that
 * folding and writing the read models never holds up a request. The thread's log store wakes
 * within milliseconds of this thread's appends (CommitWatch); it reports the position every
 * projection has reached, which `waitForPosition` (read-your-writes) answers from.
 */
export class ProjectionThread implements RunningProjections {
  private worker: Worker | undefined;
  private ended: Promise<void> = Promise.resolve();
  private reached = 0;
  private readonly positionWaiters = new PositionWaiters(() => this.reached);
  private started = false;
  private stopping = false;

  constructor(
    private readonly config: AppConfig,
    private readonly options: { logger: ProjectionThreadLogger; onProgress?: OnProgress },
  ) {}

  /**
   * Starts the thread; resolves once its projections follow the log (their first start's
   * rebuild may still run), rejects when they cannot (read models of another log, a store down).
   */
  start(where?: string): Promise<void> {
    const data: ProjectionThreadData = { config: this.config, where };
    const worker = new Worker(ENTRY, { workerData: data, execArgv: EXEC_ARGV });
    this.worker = worker;
    this.ended = new Promise((resolve) => worker.once('exit', () => resolve()));
    const { logger, onProgress } = this.options;
    return new Promise((resolve, reject) => {
      worker.on('message', (message: FromProjectionThread) => {
        switch (message.kind) {
          case 'started':
            this.started = true;
            return resolve();
          case 'failed':
            return reject(errorOf(message.error));
          case 'position':
            this.reached = message.position;
            return this.positionWaiters.notify();
          case 'progress':
            return onProgress?.(message.progress);
          case 'error':
            return logger.error(message.message, message.error.stack ?? message.error.message);
        }
      });
      worker.on('error', (error) => {
        logger.error('the projection thread failed: the read models no longer follow the log', error.stack);
        reject(error);
      });
      worker.on('exit', (code) => {
        if (this.started && !this.stopping) logger.error(`the projection thread ended (exit code ${code}): the read models no longer follow the log`);
        reject(new Error(`the projection thread ended (exit code ${code}) before its projections started`));
      });
    });
  }

  /** Stops the projections once their batches in flight are stored, and ends the thread (at once if it already ended). */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.stopping = true;
    const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    worker.postMessage({ kind: 'stop' } satisfies ToProjectionThread);
    await this.ended;
    clearTimeout(timer);
  }

  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    return this.positionWaiters.wait(position, timeoutMs);
  }
}

export function threadErrorOf(error: unknown): ThreadError {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'Error', message: String(error) };
}

function errorOf({ name, message, stack }: ThreadError): Error {
  const error = new Error(message);
  error.name = name;
  if (stack) error.stack = stack;
  return error;
}
