import type { AllStreamSubscription } from '@eventstore/db-client';
import type { AllSubscription, RecordedEvent, SubscribeToAllOptions } from '../event-store.port.js';
import { decodeEvent, matchesAllFilter, toPortReadError } from './eventstoredb-mapping.js';
import type { PoisonEventLog } from './poison-event-log.js';

/** The server ended a subscription that nobody unsubscribed: the consumer must start again from its checkpoint. */
export class SubscriptionEndedError extends Error {
  constructor(readonly lastPosition: number) {
    super(`EventStoreDB ended the subscription to $all after position ${lastPosition} without an unsubscribe`);
    this.name = 'SubscriptionEndedError';
  }
}

/**
 * The port's subscription over an EventStoreDB catch-up subscription to $all.
 *
 * The client's subscription is a Node stream that starts its gRPC call at once, so:
 * - it can fail before anyone iterates (no connection, access denied): with no listener Node
 *   would throw that error and end the process, and an iterator created afterwards would
 *   never see it and wait forever. A listener keeps it, and the first `next()` throws it;
 * - the server can end it quietly (a node shutting down, a leader change): that is not an
 *   unsubscribe, so the iteration fails with SubscriptionEndedError and the consumer retries;
 * - leaving the iteration early (`break`, `return`, a throw in the loop) cancels the gRPC
 *   call, which destroying the stream alone does not do;
 * - `unsubscribe()` of a call that was never created rejects in the client: the stream is
 *   destroyed all the same.
 */
export class EventStoreDbAllSubscription implements AllSubscription {
  private stopped = false;
  private failure: unknown = null;
  private readonly events: AsyncGenerator<RecordedEvent>;

  constructor(
    private readonly subscription: AllStreamSubscription,
    private readonly options: SubscribeToAllOptions,
    private readonly poison: PoisonEventLog,
    private readonly onStop: (subscription: EventStoreDbAllSubscription) => void = () => undefined,
  ) {
    subscription.on('error', (error: unknown) => {
      this.failure ??= error;
    });
    this.events = this.portEvents();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this.events;
  }

  async unsubscribe(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop(this);
    try {
      await this.subscription.unsubscribe();
    } catch {
      // The gRPC call was never created (the connection failed): there is nothing to cancel.
    } finally {
      this.subscription.destroy();
    }
  }

  private async *portEvents(): AsyncGenerator<RecordedEvent> {
    const after = this.options.after ?? 0;
    let last = after;
    try {
      if (this.failure) throw this.failure;
      for await (const resolved of this.subscription) {
        if (this.stopped) return;
        const decoded = decodeEvent(resolved);
        if (decoded.kind === 'poison') {
          this.poison.record(decoded.poison);
          last = Math.max(last, decoded.poison.position);
          continue;
        }
        if (decoded.kind === 'hidden') continue;
        // The server filters too (but not for an `onScanned` consumer, see the store); this check keeps the port's exact semantics (exclusive `after`, both filters).
        if (decoded.event.position <= after) continue;
        if (!matchesAllFilter(decoded.event, this.options.filter)) {
          // Every event before it was yielded and pulled: in order, one at a time.
          this.options.onScanned?.(decoded.event.position);
          continue;
        }
        last = decoded.event.position;
        yield decoded.event;
      }
      if (this.failure) throw this.failure;
      if (!this.stopped) throw new SubscriptionEndedError(last);
    } catch (error) {
      if (!this.stopped) throw toPortReadError(error, after);
    } finally {
      await this.unsubscribe();
    }
  }
}
