import type { DocumentStore } from '../document-store/document-store.port.js';
import { guardedUpsert } from '../document-store/guarded-upsert.js';

export const LEASES_COLLECTION = 'projection_leases';

/**
 * One active instance per projection, wherever the instances run (API processes, projectors):
 * the instance that holds the projection's lease applies its events; the others wait, following
 * the stored checkpoint, and take over when the holder lets go (on stop) or stops renewing it
 * (a dead process) for LEASE_TTL_MS. Expiry is judged on the wall clocks of the processes, so
 * they must agree to within a second or so.
 *
 * Two holders for a moment (a stalled holder that wakes after its lease expired) apply some
 * events twice: harmless, every projection write is idempotent; the stalled one stops at its
 * next renewal.
 */
export const LEASE_TTL_MS = 10_000;

export type LeaseDocument = { _id: string; holder: string; expiresAt: string; acquiredAt: string };

const leasesOf = (store: DocumentStore) => store.collection<LeaseDocument>(LEASES_COLLECTION);

/** Takes or renews the lease of `projection` for `holder`; false while another holder's lease runs. */
export async function acquireLease(store: DocumentStore, projection: string, holder: string, ttlMs = LEASE_TTL_MS): Promise<boolean> {
  const now = new Date();
  const outcome = await guardedUpsert(
    leasesOf(store),
    { _id: projection, $or: [{ holder }, { expiresAt: { $lt: now.toISOString() } }] },
    { $set: { holder, expiresAt: new Date(now.getTime() + ttlMs).toISOString() }, $setOnInsert: { acquiredAt: now.toISOString() } },
  );
  return outcome === 'applied';
}

/** Lets go of the lease at once, so that a waiting instance takes over without waiting for it to expire. */
export async function releaseLease(store: DocumentStore, projection: string, holder: string): Promise<void> {
  await leasesOf(store).deleteOne({ _id: projection, holder });
}

/** The current holder of each projection's lease, if any (for /ready and the logs). */
export async function leaseHolders(store: DocumentStore, projections: readonly string[]): Promise<Record<string, LeaseDocument | null>> {
  const stored = await leasesOf(store).find({ _id: { $in: [...projections] } });
  return Object.fromEntries(projections.map((name) => [name, stored.find((lease) => lease._id === name) ?? null]));
}
