import type { JsonObject, RecordedEvent } from '../event-store/event-store.port.js';
import { IsoTime, Type, type Static } from '../http/openapi/schema.js';
import { occurredAtOf } from './filtered-log.js';

/** One event as `GET /v1/events` and `cli replay` publish it (API.md). */
export const PublishedEventSchema = Type.Object(
  {
    id: Type.String({ description: 'The event id (UUID), unique across the log' }),
    type: Type.String({ description: 'The event type; its schema is at /v1/event-schemas' }),
    schemaVersion: Type.Integer({ minimum: 1, description: 'The schema version of `data` (always the current one: older events are upcast on read)' }),
    streamId: Type.String({ description: '`contact-<uuid>`, `profile-<uuid>` or `workspace-<id>`' }),
    revision: Type.Integer({ minimum: 0, description: "The event's revision in its stream" }),
    position: Type.Integer({ minimum: 1, description: "The event's position in the log: resume with `from=` this" }),
    occurredAt: IsoTime({ description: 'When the change occurred' }),
    metadata: Type.Object({}, { additionalProperties: true, description: 'workspace, actor, source, correlationId, causationId, schemaVersion, occurredAt' }),
    data: Type.Object({}, { additionalProperties: true, description: 'The event data, as its schema at /v1/event-schemas describes' }),
  },
  { $id: 'PublishedEvent' },
);
export type PublishedEvent = Static<typeof PublishedEventSchema>;

export function publishedEvent(event: RecordedEvent): PublishedEvent {
  const metadata = event.metadata as JsonObject & { schemaVersion?: unknown };
  return {
    id: event.id,
    type: event.type,
    schemaVersion: typeof metadata.schemaVersion === 'number' ? metadata.schemaVersion : 1,
    streamId: event.streamId,
    revision: event.revision,
    position: event.position,
    occurredAt: occurredAtOf(event),
    metadata: event.metadata,
    data: event.data,
  };
}
