import { IsoTime, Type } from '../../../http/openapi/schema.js';
import { ActorSchema, SourceSchema } from '../../../eventsourcing/event-metadata.schema.js';

/** One field change of the audit trail, as `GET /v1/contacts/:id/history` answers it. */
export const ContactHistoryEntrySchema = Type.Object(
  {
    workspace: Type.String(),
    contactId: Type.String({ format: 'uuid' }),
    at: IsoTime({ description: 'When the change occurred' }),
    actor: ActorSchema,
    source: SourceSchema,
    field: Type.String({ description: 'The field: `name`, `phone`, `email`, `country`, `language`, `avatarUrl`, `document`, `customFields.<name>`, `tags` (a tag assigned: from null; removed: to null), `blocked`, `contact` (its deletion), or `profileId` for an attach to or a detach from a profile' }),
    from: Type.Unsafe<HistoryValue>({ description: 'The value before (for channel data: the channel value before); JSON: a string for contact fields and tags, a boolean for `blocked`, the typed value for custom fields; null when there was none' }),
    to: Type.Unsafe<HistoryValue>({ description: 'The value after, as `from`' }),
    erased: Type.Optional(Type.Literal(true, { description: 'The contact was deleted: its values are erased (from and to are null)' })),
    eventType: Type.String({ description: 'The type of the event that made the change, e.g. `ContactFieldEdited`' }),
    eventId: Type.String(),
    position: Type.Integer({ minimum: 1, description: "The event's position in the log" }),
  },
  { $id: 'ContactHistoryEntry' },
);

/** A value of the audit trail: what a field held, as JSON. */
export type HistoryValue = string | number | boolean | null | HistoryValue[] | { [key: string]: HistoryValue };
