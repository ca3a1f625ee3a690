/** What the tests read of GET /health. */
export interface HealthAnswer {
  logHead: number;
  projections: Record<string, number>;
  readModels: { status: string; checkedAt: string | null };
}

/**
 * Whether /health shows every projection at the log head, as seen by a background check begun
 * at `since` or later: /health answers the last check (about a second old), whose head can miss
 * the commands acknowledged just before `since`.
 */
export function caughtUpSince(health: HealthAnswer, since: number): boolean {
  const checkedSince = health.readModels.status === 'ok' && Date.parse(health.readModels.checkedAt ?? '') >= since;
  return checkedSince && Object.values(health.projections).every((position) => position >= health.logHead);
}
