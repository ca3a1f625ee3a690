/** Who may act on the system; `customer` and `system` never hold tokens minted by `npm run token`. */
export const ROLES = ['owner', 'manager', 'agent', 'integration', 'customer', 'system'] as const;
export type Role = (typeof ROLES)[number];

/** Where a change comes from, as the audit trail shows it. */
export const SOURCES = ['channel', 'agent', 'customer', 'system'] as const;
export type Source = (typeof SOURCES)[number];

export interface Actor {
  id: string;
  role: Role;
}

/**
 * Metadata every domain event carries (DESIGN.md). `personalDataKey` names the key that
 * protects `data.personal`: events keep personal data under that one property so that it
 * can be encrypted per contact, and shredded by destroying the key, without new event types.
 * `schemaVersion` is the version of the event type's `data` shape; reads upcast older ones.
 */
export type EventMetadata = {
  workspace: string;
  actor: Actor;
  source: Source;
  correlationId: string;
  causationId: string | null;
  schemaVersion: number;
  occurredAt: string;
  personalDataKey?: string;
  /** Set on read, never stored: the key was destroyed, so the values under `data.personal` read as null. */
  personalDataErased?: true;
};

/**
 * What the application knows about the request behind a command or a query: who acts, in
 * which workspace, from where; for a write, the caller's conditions (If-Match, Idempotency-Key).
 */
export interface CommandContext {
  workspace: string;
  actor: Actor;
  source: Source;
  correlationId: string;
  causationId: string | null;
  now: Date;
  /** The stream version (number of events) the caller saw: If-Match. A mismatch is a 409. */
  expectedVersion?: number;
  /** A retry with the same key answers the first result and appends nothing (event ids derive from it). */
  idempotencyKey?: string;
}
