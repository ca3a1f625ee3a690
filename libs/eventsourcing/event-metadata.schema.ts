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
