import type { AllFilter, EventStore, RecordedEvent } from '../event-store/event-store.port.js';

export interface WorkspaceEventsQuery {
  workspace: string;
  /** Exclusive: only events after this position (0: from the start). */
  after: number;
  /** Only these event types; all when absent or empty. */
  types?: readonly string[];
  /** Stop after this many events. */
  limit?: number;
  /** Keep following new appends once the head is reached. */
  follow: boolean;
  /** Ends a follow that waits for new events (the reader went away). */
  signal?: AbortSignal;
}

/** Events read from the log per request while catching up: enough to keep a fast reader busy, bounded for a slow one. */
export const PAGE_SIZE = 500;

/**
 * The workspace's events after `after`, in log order, read one page at a time and only as fast
 * as the consumer pulls (so a slow HTTP reader holds the reads back). Event types are filtered
 * by the store (SQL, or EventStoreDB's server-side filter); the workspace, which only the
 * metadata carries, here. Without `follow` it ends at the head as it was when called.
 */
export async function* workspaceEvents(store: EventStore, query: WorkspaceEventsQuery): AsyncGenerator<RecordedEvent> {
  const filter: AllFilter | undefined = query.types && query.types.length > 0 ? { eventTypes: [...query.types] } : undefined;
  const limit = query.limit ?? Number.POSITIVE_INFINITY;
  const head = await store.headPosition();
  let cursor = query.after;
  let sent = 0;

  while (cursor < head) {
    const page = await store.readAll({ after: cursor, maxCount: PAGE_SIZE, filter });
    if (page.length === 0) break;
    for (const event of page) {
      if (!query.follow && event.position > head) return;
      cursor = event.position;
      if (!inWorkspace(event, query.workspace)) continue;
      yield event;
      if (++sent >= limit) return;
    }
    if (page.length < PAGE_SIZE) break;
  }
  if (!query.follow) return;

  if (query.signal?.aborted) return;
  const subscription = store.subscribeToAll({ after: cursor, filter });
  const stop = (): void => void subscription.unsubscribe();
  query.signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const event of subscription) {
      if (!inWorkspace(event, query.workspace)) continue;
      yield event;
      if (++sent >= limit) return;
    }
  } finally {
    query.signal?.removeEventListener('abort', stop);
    await subscription.unsubscribe();
  }
}

function inWorkspace(event: RecordedEvent, workspace: string): boolean {
  return event.metadata.workspace === workspace;
}
