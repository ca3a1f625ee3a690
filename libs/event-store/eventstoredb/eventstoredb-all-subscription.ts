import type { AllStreamSubscription } from '@eventstore/db-client';
import type { AllSubscription, RecordedEvent, SubscribeToAllOptions } from '../event-store.port.js';
import { matchesAllFilter, toRecordedEvent } from './eventstoredb-mapping.js';

/**
 * The port's subscription over an EventStoreDB catch-up subscription to $all. Cancelling the
 * gRPC call does not end the client's stream, so unsubscribing also destroys it, and the
 * premature-close error that follows ends the iteration quietly.
 */
export class EventStoreDbAllSubscription implements AllSubscription {
  private stopped = false;
  private readonly events: AsyncGenerator<RecordedEvent>;

  constructor(
    private readonly subscription: AllStreamSubscription,
    private readonly options: SubscribeToAllOptions,
  ) {
    this.events = this.portEvents();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this.events;
  }

  async unsubscribe(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.subscription.unsubscribe();
    this.subscription.destroy();
  }

  private async *portEvents(): AsyncGenerator<RecordedEvent> {
    const after = this.options.after ?? 0;
    try {
      for await (const resolved of this.subscription) {
        if (this.stopped) return;
        const event = toRecordedEvent(resolved);
        // The server filters too; this check keeps the port's exact semantics (exclusive `after`, both filters).
        if (event && event.position > after && matchesAllFilter(event, this.options.filter)) yield event;
      }
    } catch (error) {
      if (!this.stopped) throw error;
    }
  }
}
