import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event-store/event-store.port.js';
import type { EventSchemaRegistry } from './event-schemas.js';

/**
 * The EventStore port with every read upcast to the current schemas: commands, projections,
 * replays and time travel all read through it. A decorator, so that others (decryption of
 * personal data, say) compose with it: wrap the adapter in them first, then in this one.
 */
export class UpcastingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly schemas: EventSchemaRegistry,
  ) {}

  appendToStream(streamId: string, events: readonly NewEvent<string, object, object>[], options?: AppendOptions): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, events, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.upcastAll(await this.inner.readStream(streamId, options));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.upcastAll(await this.inner.readAll(options));
  }

  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription {
    const subscription = this.inner.subscribeToAll(options);
    if (!this.schemas.hasUpcasters) return subscription;
    const schemas = this.schemas;
    return {
      unsubscribe: () => subscription.unsubscribe(),
      async *[Symbol.asyncIterator]() {
        for await (const event of subscription) yield schemas.upcast(event);
      },
    };
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  logId(): Promise<string> {
    return this.inner.logId();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private upcastAll(events: RecordedEvent[]): RecordedEvent[] {
    return this.schemas.hasUpcasters ? events.map((event) => this.schemas.upcast(event)) : events;
  }
}
