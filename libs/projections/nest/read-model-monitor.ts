import { Inject, Injectable, Logger } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import type { DocumentStore } from '../../document-store/document-store.port.js';
import type { Projection } from '../projection.js';
import { checkReadModels, describeProblem, ReadModelsRefusedError, REBUILD_ALL_COMMAND, type ReadModelsCheck } from '../read-model-identity.js';
import { DOCUMENT_STORE, PROJECTIONS, READ_MODELS_LOCATION } from './read-model.tokens.js';

const CHECK_INTERVAL_MS = 1_000;
const CHECK_TIMEOUT_MS = 3_000;

export type ReadModelsStatus =
  | { status: 'ok'; checkedAt: string; check: ReadModelsCheck }
  | { status: 'refused'; checkedAt: string; check: ReadModelsCheck }
  | { status: 'unknown'; checkedAt: string | null; reason: string; check: ReadModelsCheck | null };

/** A read of read models that are not this log's, or could not be checked: answered 503, never from them. */
export class ReadModelsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadModelsUnavailableError';
  }
}

/**
 * Keeps checking, in the background, that the read models are this log's (read-model-identity.ts),
 * so that no read is answered from read models of another log, even when they were swapped
 * under a running process, and so that /health can report without waiting on a store.
 */
@Injectable()
export class ReadModelMonitor {
  private readonly logger = new Logger('read-models');
  private latest: ReadModelsStatus = { status: 'unknown', checkedAt: null, reason: 'not checked yet', check: null };
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<ReadModelsStatus> | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documentStore: DocumentStore,
    @Inject(PROJECTIONS) private readonly projections: readonly Projection[],
    @Inject(READ_MODELS_LOCATION) private readonly location: string,
  ) {}

  /** Checks once, refusing with ReadModelsRefusedError when the read models are another log's, then keeps checking. */
  async start(): Promise<void> {
    const status = await this.check();
    if (status.status === 'refused') throw new ReadModelsRefusedError(status.check, this.location);
    if (status.status === 'unknown') throw new Error(`could not check the read models in ${this.location}: ${status.reason}`);
    this.timer = setInterval(() => void this.check(), CHECK_INTERVAL_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The last check's outcome, at once. */
  status(): ReadModelsStatus {
    return this.latest;
  }

  /** Checks now (one check at a time, bounded by CHECK_TIMEOUT_MS). */
  check(): Promise<ReadModelsStatus> {
    this.checking ??= this.checkOnce().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /**
   * Throws ReadModelsUnavailableError when the last check found read models of another log. A
   * check that could not finish (a store slow or down) keeps the last verdict: the read itself
   * then meets the store's own bounds.
   */
  assertServable(): void {
    const latest = this.latest;
    if (latest.status !== 'refused') return;
    throw new ReadModelsUnavailableError(
      `The read models do not belong to this event log (${latest.check.logId}): ` +
        `${latest.check.problems.map(describeProblem).join('; ')}. An operator must run \`${REBUILD_ALL_COMMAND}\`.`,
    );
  }

  private async checkOnce(): Promise<ReadModelsStatus> {
    const checkedAt = new Date().toISOString();
    let timer: NodeJS.Timeout | undefined;
    try {
      const check = await Promise.race([
        checkReadModels(this.eventStore, this.documentStore, this.projections),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
        }),
      ]);
      if (check.problems.length > 0 && this.latest.status !== 'refused') {
        this.logger.error(new ReadModelsRefusedError(check, this.location).message);
      }
      this.latest = { status: check.problems.length > 0 ? 'refused' : 'ok', checkedAt, check };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.latest = this.latest.status === 'refused' ? this.latest : { status: 'unknown', checkedAt, reason, check: this.latest.check };
    } finally {
      clearTimeout(timer);
    }
    return this.latest;
  }
}
