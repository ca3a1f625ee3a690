/** Who may act on the system; `customer` and `system` never hold tokens minted by `npm run token`. */
export type Role = 'owner' | 'manager' | 'agent' | 'integration' | 'customer' | 'system';

/** Where a change comes from, as the audit trail shows it. */
export type Source = 'channel' | 'agent' | 'customer' | 'system';

export interface Actor {
  id: string;
  role: Role;
}

/**
 * Metadata every domain event carries (DESIGN.md). `personalDataKey` names the key that
 * protects `data.personal`: events keep personal data under that one property so that it
 * can be encrypted per contact, and shredded by destroying the key, without new event types.
 */
export interface EventMetadata {
  workspace: string;
  actor: Actor;
  source: Source;
  correlationId: string;
  causationId: string | null;
  schemaVersion: number;
  occurredAt: string;
  personalDataKey?: string;
}

/** What a command handler knows about the request that caused it. */
export interface CommandContext {
  workspace: string;
  actor: Actor;
  source: Source;
  correlationId: string;
  causationId: string | null;
  now: Date;
}
