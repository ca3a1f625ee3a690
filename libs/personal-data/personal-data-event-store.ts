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
import type { KeyStore } from './key-store.port.js';
import { isSealed, open, seal } from './personal-data-cipher.js';

/**
 * Crypto-shredding at the log boundary: a decorator of the EventStore port that seals
 * `data.personal` with the key `metadata.personalDataKey` names on append, and opens it on
 * every read (streams, the whole log, subscriptions). So commands, projections, rebuilds,
 * `asOf`, replays and the event stream all see plaintext — or, once the key is destroyed,
 * the same shape with null values and `metadata.personalDataErased: true`. The log itself
 * never holds a personal value in plain text.
 */
export class PersonalDataEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly keys: KeyStore,
    /** Whether closing the log also closes the key store (when this store owns it). */
    private readonly options: { closeKeys?: boolean } = {},
  ) {}

  async appendToStream(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, await Promise.all(events.map((event) => this.seal(event))), options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.openAll(await this.inner.readStream(streamId, options));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.openAll(await this.inner.readAll(options));
  }

  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription {
    const subscription = this.inner.subscribeToAll(options);
    const openOne = (event: RecordedEvent) => this.openAll([event]).then(([opened]) => opened!);
    return {
      unsubscribe: () => subscription.unsubscribe(),
      async *[Symbol.asyncIterator]() {
        for await (const event of subscription) yield await openOne(event);
      },
    };
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  logId(): Promise<string> {
    return this.inner.logId();
  }

  async close(): Promise<void> {
    await this.inner.close();
    if (this.options.closeKeys) await this.keys.close();
  }

  private async seal(event: NewEvent): Promise<NewEvent> {
    const keyId = event.metadata.personalDataKey;
    const personal = event.data.personal;
    if (typeof keyId !== 'string' || personal === undefined || personal === null) return event;
    const key = await this.keys.getOrCreate(keyId);
    return { ...event, data: { ...event.data, personal: seal(personal, key, keyId) } };
  }

  /** Opens a batch with one key lookup for all the keys it needs. */
  private async openAll(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const sealed = events.filter((event) => typeof event.metadata.personalDataKey === 'string' && isSealed(event.data.personal));
    if (sealed.length === 0) return events;
    const keys = await this.keys.getMany([...new Set(sealed.map((event) => event.metadata.personalDataKey as string))]);
    return events.map((event) => {
      const keyId = event.metadata.personalDataKey;
      if (typeof keyId !== 'string' || !isSealed(event.data.personal)) return event;
      const { value, erased } = open(event.data.personal, keys.get(keyId) ?? null, keyId);
      return {
        ...event,
        data: { ...event.data, personal: value },
        metadata: erased ? { ...event.metadata, personalDataErased: true } : event.metadata,
      };
    });
  }
}
