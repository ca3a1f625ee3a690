import type { RecordedEvent } from '../../event-store/event-store.port.js';

const WORKSPACE_STREAM_PREFIX = 'workspace-';

/** The custom fields archived by the batch's events of workspace streams, in order. */
export function archivedCustomFieldsOf(events: readonly RecordedEvent[]): Array<{ workspace: string; name: string }> {
  return events
    .filter((event) => event.type === 'CustomFieldArchived' && event.streamId.startsWith(WORKSPACE_STREAM_PREFIX))
    .map((event) => ({ workspace: event.streamId.slice(WORKSPACE_STREAM_PREFIX.length), name: String(event.data.name) }));
}
