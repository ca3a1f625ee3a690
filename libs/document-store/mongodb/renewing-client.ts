import { MongoClient, MongoServerSelectionError, type Collection, type Db, type Document } from 'mongodb';
import { DocumentStoreUnavailableError } from '../document-store.port.js';
import { bounded, CALL_LIMIT_MS, type GivenUpWrites } from './bounded-mongodb.js';

/**
 * How long server selection may fail without a break before the client is replaced: three
 * heartbeats (heartbeatFrequencyMS, 10 s), within which a working monitor finds a server that is
 * back. Its server description then still holds the error of the crash, never a newer one.
 */
export const RENEW_CLIENT_AFTER_MS = 30_000;

/**
 * A MongoClient that is replaced when server selection has failed for RENEW_CLIENT_AFTER_MS.
 *
 * After FerretDB was frozen, then killed and restarted, the projector's client now and then
 * never selected the server again (about one outage test in twelve, docs/notes/issue-11.md): its
 * monitor wrote no heartbeat for minutes while the server answered the process's other client
 * every ten seconds. A new client has a new monitor. It replaces the old one only once connected
 * (a client that fails its first connection stays closed: "Topology is closed"); while the
 * server is away each attempt fails and the next comes RENEW_CLIENT_AFTER_MS later. The old
 * client is closed once every call begun on it has been given up (CALL_LIMIT_MS), so that none
 * of them fails for a closed client.
 */
export class RenewingClient {
  private client: MongoClient;
  /** The client's database handle, made once per client: every store call asks for it. */
  private database: Db;
  private failingSince: number | null = null;
  private renewing = false;
  private closed = false;
  /** Replaced clients, until CALL_LIMIT_MS after their replacement. */
  private readonly replaced = new Set<MongoClient>();
  /** How many times the client was replaced. */
  renewals = 0;

  /** `first` is used until a client `connect` gives replaces it. */
  constructor(
    first: MongoClient,
    private readonly connect: () => Promise<MongoClient>,
    private readonly dbName: string,
    private readonly renewAfterMs = RENEW_CLIENT_AFTER_MS,
  ) {
    this.client = first;
    this.database = first.db(dbName);
  }

  db(): Db {
    return this.database;
  }

  collection(name: string): Collection<Document> {
    return this.db().collection(name);
  }

  /** `bounded(call)`, noting whether server selection worked. */
  async call<R>(call: () => Promise<R>, what?: string, givenUp?: GivenUpWrites): Promise<R> {
    try {
      const result = await bounded(call, what, givenUp);
      this.failingSince = null;
      return result;
    } catch (error) {
      this.noteFailure(error);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.client, ...this.replaced].map((client) => client.close()));
  }

  private noteFailure(error: unknown): void {
    const cause = error instanceof DocumentStoreUnavailableError ? error.cause : error;
    // A call given up on (no cause) says nothing of selection; any other failure came from a selected server.
    if (cause === undefined) return;
    if (!(cause instanceof MongoServerSelectionError)) {
      this.failingSince = null;
      return;
    }
    const now = Date.now();
    this.failingSince ??= now;
    if (now - this.failingSince >= this.renewAfterMs && !this.renewing) void this.renew();
  }

  private async renew(): Promise<void> {
    this.renewing = true;
    try {
      const renewed = await bounded(this.connect);
      // Closed meanwhile (the process is stopping): the new client must not keep it running.
      if (this.closed) {
        await renewed.close();
        return;
      }
      const stale = this.client;
      this.client = renewed;
      this.database = renewed.db(this.dbName);
      this.renewals++;
      this.replaced.add(stale);
      setTimeout(() => {
        this.replaced.delete(stale);
        void stale.close().catch(() => undefined);
      }, CALL_LIMIT_MS).unref();
    } catch {
      // The server is away: the next attempt once selection has failed for as long again.
    } finally {
      this.failingSince = null;
      this.renewing = false;
    }
  }
}
