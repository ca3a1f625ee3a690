import type { AllFilter, EventStore, RecordedEvent } from '../event-store/event-store.port.js';
import { PAGE_SIZE } from './workspace-events.js';

export interface LogFilter {
  /** One stream, by id (`contact-<uuid>`…). */
  streamId?: string;
  /** With `streamId`: from this revision of the stream. */
  fromRevision?: number;
  /** Only these event types. */
  types?: readonly string[];
  /** ISO times, inclusive, compared with the events' `occurredAt`. */
  from?: string;
  to?: string;
}

/**
 * The log's events that match the filter, oldest first, a page at a time as the consumer pulls:
 * the whole log through `readAll` (types filtered by the store), one stream through `readStream`.
 * `onPage` is told the position reached, for progress.
 */
export async function* filteredLog(store: EventStore, filter: LogFilter, onPage?: (position: number) => void): AsyncGenerator<RecordedEvent> {
  const from = filter.from ? Date.parse(filter.from) : Number.NEGATIVE_INFINITY;
  const to = filter.to ? Date.parse(filter.to) : Number.POSITIVE_INFINITY;
  const types = filter.types && filter.types.length > 0 ? new Set(filter.types) : undefined;
  const matches = (event: RecordedEvent): boolean => {
    if (types && !types.has(event.type)) return false;
    const at = Date.parse(occurredAtOf(event));
    return at >= from && at <= to;
  };

  if (filter.streamId) {
    for (let revision = filter.fromRevision ?? 0; ; ) {
      const page = await store.readStream(filter.streamId, { fromRevision: revision, maxCount: PAGE_SIZE });
      for (const event of page) if (matches(event)) yield event;
      if (page.length < PAGE_SIZE) return;
      revision = page.at(-1)!.revision + 1;
      onPage?.(page.at(-1)!.position);
    }
  }

  const storeFilter: AllFilter | undefined = types ? { eventTypes: [...types] } : undefined;
  const head = await store.headPosition();
  for (let after = 0; after < head; ) {
    const page = await store.readAll({ after, maxCount: PAGE_SIZE, filter: storeFilter });
    for (const event of page) if (event.position <= head && matches(event)) yield event;
    if (page.length < PAGE_SIZE) return;
    after = page.at(-1)!.position;
    onPage?.(after);
  }
}

export function occurredAtOf(event: RecordedEvent): string {
  return typeof event.metadata.occurredAt === 'string' ? event.metadata.occurredAt : event.recordedAt;
}
