import Type from 'typebox';
import { ROLES, SOURCES } from './event-metadata.js';

/** Who made a change, as events, the audit trail and the event stream show it. */
export const ActorSchema = Type.Object(
  {
    id: Type.String({ description: "The actor's id (the token's `sub`)" }),
    role: Type.Enum(ROLES, { type: 'string' }),
  },
  { $id: 'Actor' },
);

export const SourceSchema = Type.Enum(SOURCES, { $id: 'Source', type: 'string', description: 'Where the change came from' });

/** The metadata of every event as the log stores it (EventMetadata); open, so that it may grow without a new schema version. */
export const EventMetadataSchema = Type.Object(
  {
    workspace: Type.String(),
    actor: ActorSchema,
    source: SourceSchema,
    correlationId: Type.String({ description: 'The request (or process) that caused the change' }),
    causationId: Type.Union([Type.String(), Type.Null()], { description: 'The event or command that caused this one, if any' }),
    schemaVersion: Type.Integer({ minimum: 1, description: 'The version of `data`' }),
    occurredAt: Type.String({ format: 'date-time' }),
    personalDataKey: Type.Optional(Type.String({ description: "The contact's key that protects `data.personal` (crypto-shredding)" })),
    personalDataErased: Type.Optional(Type.Literal(true, { description: 'The key was destroyed: every value under `data.personal` reads as null' })),
  },
  { description: 'Who, when, from where, why' },
);
