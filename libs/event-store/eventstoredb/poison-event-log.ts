import type { PoisonEvent } from '../event-store.errors.js';

export interface PoisonLogger {
  warn(message: string): void;
}

const KEPT = 100;

/**
 * The events that `readAll` and `subscribeToAll` skipped because the port cannot carry them
 * (see eventstoredb-mapping.ts). Each is logged once per process with its position, counted,
 * and the last ones are kept for inspection; a projection goes on past it instead of failing
 * on it at every retry.
 */
export class PoisonEventLog {
  private readonly recent: PoisonEvent[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly logger: PoisonLogger = console) {}

  /** Distinct poison events met since the store was opened. */
  get count(): number {
    return this.seen.size;
  }

  /** The last ones met, oldest first. */
  get last(): readonly PoisonEvent[] {
    return this.recent;
  }

  record(poison: PoisonEvent): void {
    if (this.seen.has(poison.id)) return;
    this.seen.add(poison.id);
    this.recent.push(poison);
    if (this.recent.length > KEPT) this.recent.shift();
    this.logger.warn(
      `EventStoreDB: skipped poison event ${poison.id} (${poison.type}) of stream ${poison.streamId} at revision ` +
        `${poison.revision}, position ${poison.position}: ${poison.reason} [${this.count} skipped so far]`,
    );
  }
}
