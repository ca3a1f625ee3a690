import { isDuplicateKeyError, type DocumentStore } from '../document-store/document-store.port.js';

export const LEASES_COLLECTION = 'projection_leases';

/**
 * One active instance per projection, wherever the instances run (API processes, projectors):
 * the instance that holds the projection's lease applies its events; the others wait, following
 * the stored checkpoint, and take over when the holder lets go (on stop) or stops renewing it
 * (a dead process) for LEASE_TTL_MS. Expiry is judged on the wall clocks of the processes, so
 * they must agree to within a second or so.
 *
 * The lease is a sequence of terms, one document each (`<projection>#<term>`), and a term is
 * taken by inserting its document: a unique insert is the one write that every store applies
 * atomically. A conditional update is not enough: FerretDB 1.24 applies two concurrent
 * `updateOne({ _id, holder: … })` both (it reads, then writes), so a lease taken that way can
 * have two holders. Only the holder writes its term's document (renewals, its release).
 *
 * A holder renews only while its term has not expired, and a renewal that completes after the
 * old expiry does not count: an instance that saw the term expire and took the next one can
 * then not overlap with it, short of clock skew or a batch that outlives its lease.
 */
export const LEASE_TTL_MS = 10_000;

export type LeaseDocument = { _id: string; projection: string; term: number; holder: string; expiresAt: string; acquiredAt: string };

const leasesOf = (store: DocumentStore) => store.collection<LeaseDocument>(LEASES_COLLECTION);

async function currentTerm(store: DocumentStore, projection: string): Promise<LeaseDocument | null> {
  const [latest] = await leasesOf(store).find({ projection }, { sort: { term: -1 }, limit: 1 });
  return latest ?? null;
}

/**
 * Takes or renews the lease of `projection` for `holder`; answers when the lease expires (epoch
 * ms), or null while another holder's term runs, when another instance took the next term
 * first, or when a renewal came too late to count.
 */
export async function acquireLease(store: DocumentStore, projection: string, holder: string, ttlMs = LEASE_TTL_MS): Promise<number | null> {
  const now = Date.now();
  const expiresAt = now + ttlMs;
  const current = await currentTerm(store, projection);
  const running = current !== null && Date.parse(current.expiresAt) > now;
  if (running && current.holder === holder) {
    await leasesOf(store).updateOne({ _id: current._id }, { $set: { expiresAt: new Date(expiresAt).toISOString() } });
    return Date.now() < Date.parse(current.expiresAt) ? expiresAt : null;
  }
  if (running) return null;

  const term = (current?.term ?? 0) + 1;
  try {
    await leasesOf(store).insertMany([
      { _id: `${projection}#${term}`, projection, term, holder, acquiredAt: new Date(now).toISOString(), expiresAt: new Date(expiresAt).toISOString() },
    ]);
  } catch (error) {
    if (isDuplicateKeyError(error)) return null;
    throw error;
  }
  await leasesOf(store).deleteMany({ projection, term: { $lt: term } });
  return expiresAt;
}

/** Lets go of the lease at once (its term expires now), so that a waiting instance takes over without waiting. */
export async function releaseLease(store: DocumentStore, projection: string, holder: string): Promise<void> {
  const current = await currentTerm(store, projection);
  if (current?.holder !== holder) return;
  await leasesOf(store).updateOne({ _id: current._id }, { $set: { expiresAt: new Date(0).toISOString() } });
}

/** The current term of each projection's lease, if one runs (for /ready and the logs). */
export async function leaseHolders(store: DocumentStore, projections: readonly string[]): Promise<Record<string, LeaseDocument | null>> {
  const terms = await Promise.all(projections.map((name) => currentTerm(store, name)));
  const now = Date.now();
  return Object.fromEntries(projections.map((name, i) => [name, terms[i] && Date.parse(terms[i].expiresAt) > now ? terms[i] : null]));
}
