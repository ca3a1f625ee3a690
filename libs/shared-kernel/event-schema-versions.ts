import { CONTACT_EVENT_SCHEMA_VERSIONS } from '../domain/contacts/index.js';
import { WORKSPACE_EVENT_SCHEMA_VERSIONS } from '../domain/workspace/workspace-permissions.js';

const SCHEMA_VERSIONS: Record<string, number> = { ...CONTACT_EVENT_SCHEMA_VERSIONS, ...WORKSPACE_EVENT_SCHEMA_VERSIONS };

/** The schema version each event type is written with (DESIGN.md: events are a versioned contract). */
export function schemaVersionOf(eventType: string): number {
  const version = SCHEMA_VERSIONS[eventType];
  if (version === undefined) throw new Error(`No schema version for event type ${eventType}`);
  return version;
}
