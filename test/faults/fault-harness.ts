import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MongoClient } from 'mongodb';
import { mintToken } from '../../libs/auth/tokens.js';
import { loadConfig } from '../../libs/config/config.js';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store.js';
import { openDocumentStore } from '../../libs/document-store/open-document-store.js';
import { verifyProjection } from '../../libs/projections/verify-projection.js';
import { openEventLog } from '../../apps/shared/event-log.js';
import { ALL_PROJECTIONS } from '../../apps/shared/projections.js';
import { freePort, startService, type ServiceProcess } from '../load/processes.js';
import { caughtUpSince, type HealthAnswer } from '../support/caught-up.js';

/** Shared by the fault suites: the service's processes from dist/, bursts of commands, and what the log and read models hold afterwards. */
export const SECRET = 'fault-test-secret-that-is-long-enough-for-hs256';
export const WORKSPACE = 'acme';
/** Short leases, so that a process started after a kill -9 takes over the dead one's projections within seconds. */
export const LEASE_TTL_MS = 3_000;

export const tokens = async () => ({
  owner: await mintToken({ sub: 'owner-1', workspace: WORKSPACE, role: 'owner' }, SECRET, '1h'),
  integration: await mintToken({ sub: 'connector-1', workspace: WORKSPACE, role: 'integration' }, SECRET, '1h'),
});

export type Tokens = Awaited<ReturnType<typeof tokens>>;

/** A stack's settings for the service's processes: the embedded default, or the read models and keys on a MongoDB-protocol server. */
export function stackEnv(dataDir: string, mongo?: { uri: string; database: string }): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: SECRET,
    PROJECTION_LEASE_TTL_MS: String(LEASE_TTL_MS),
    MONGODB_URI: mongo ? `${mongo.uri.replace(/\/?$/, '/')}${mongo.database}` : '',
    MONGODB_DATABASE: mongo?.database ?? '',
    EVENTSTORE_CONNECTION_STRING: '',
  };
}

export interface RunningApi {
  readonly service: ServiceProcess;
  readonly baseUrl: string;
}

/** Starts dist/apps/api/main.js and waits for its "API on" line. */
export async function startApiService(env: Record<string, string>): Promise<RunningApi> {
  const port = await freePort();
  const service = startService('dist/apps/api/main.js', { ...env, PORT: String(port) });
  await service.waitForOutput('contact-profiles API on', 90_000);
  return { service, baseUrl: `http://127.0.0.1:${port}` };
}

export function temporaryDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Letters only (names refuse digits-only words): 0 → a, 25 → z, 26 → ba… */
export function letters(n: number): string {
  let out = '';
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  } while (n > 0);
  return out;
}

/** A command unanswered for this long counts as a hang (`timeout`): bounded store calls answer 503 well before. */
const COMMAND_LIMIT_MS = 30_000;

export interface SentCommand {
  correlationId: string;
  /** `timeout`: no answer within COMMAND_LIMIT_MS (a hang); `network`: the connection failed or was cut. */
  status: number | 'network' | 'timeout' | 'in flight';
}

/**
 * Concurrent clients sending commands that each write at least one event (a new contact, then
 * nine edits of its name to values never used before, and again), each with its own X-Correlation-Id, until
 * stopped. A command is acknowledged when it got a 2xx.
 */
export class CommandBurst {
  readonly sent: SentCommand[] = [];
  /** The contacts whose creation was acknowledged. */
  readonly contactIds: string[] = [];
  private stopped = false;
  private readonly clients: Promise<void>[];

  constructor(
    private readonly baseUrl: string,
    private readonly auth: Tokens,
    private readonly label: string,
    clients: number,
    /** A pause after each answer, to keep the rate within what a slow store projects. */
    private readonly pauseMs = 0,
  ) {
    this.clients = Array.from({ length: clients }, (_, i) => this.client(i));
  }

  /** Stops sending; resolves once every client has its last answer (or network error). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.clients);
  }

  acknowledged(): string[] {
    return this.sent.filter((command) => typeof command.status === 'number' && command.status < 300).map((command) => command.correlationId);
  }

  /** How many commands ended with each status. */
  statuses(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { status } of this.sent) counts[String(status)] = (counts[String(status)] ?? 0) + 1;
    return counts;
  }

  inFlight(): string[] {
    return this.sent.filter((command) => command.status === 'in flight').map((command) => command.correlationId);
  }

  private async client(client: number): Promise<void> {
    let contactId: string | undefined;
    for (let i = 0; !this.stopped; i++) {
      const correlationId = `${this.label}-c${client}-${i}`;
      const command: SentCommand = { correlationId, status: 'in flight' };
      this.sent.push(command);
      const name = `Burst ${letters(client)} ${letters(i)} ${this.label.replace(/[^a-z]/gi, '')}`;
      // A new contact every tenth command, else an edit of the client's latest contact.
      if (i % 10 === 0) contactId = undefined;
      const request = contactId
        ? { method: 'PATCH', path: `/v1/contacts/${contactId}`, token: this.auth.owner, body: { name } }
        : { method: 'POST', path: '/v1/channel-contacts', token: this.auth.integration, body: { channel: 'telegram', channelContactId: `${this.label}-c${client}-${i}`, name } };
      try {
        const response = await fetch(`${this.baseUrl}${request.path}`, {
          method: request.method,
          headers: { authorization: `Bearer ${request.token}`, 'content-type': 'application/json', 'x-correlation-id': correlationId },
          body: JSON.stringify(request.body),
          signal: AbortSignal.timeout(COMMAND_LIMIT_MS),
        });
        const body = (await response.json()) as { contactId?: string };
        command.status = response.status;
        if (!contactId && response.status < 300) {
          contactId = body.contactId;
          this.contactIds.push(contactId!);
        }
        if (this.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
      } catch (error) {
        // The process died under the request (or the answer was cut): not acknowledged.
        command.status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
        return;
      }
    }
  }
}

export interface LogInspection {
  events: number;
  streams: number;
  /** The correlation ids of the log's events, with how many events each. */
  correlationIds: Map<string, number>;
  problems: string[];
}

/**
 * Opens the embedded log as the service does (SQLite recovers its WAL), then checks the file:
 * `PRAGMA integrity_check`, unique event ids, positions increasing, every stream's revisions
 * 0, 1, 2… without a gap, every row's JSON readable.
 */
export async function inspectLog(dataDir: string): Promise<LogInspection> {
  const file = join(dataDir, 'events.sqlite');
  const store = SqliteEventStore.open(file);
  await store.headPosition();
  await store.close();
  const db = new Database(file, { readonly: true });
  try {
    const problems: string[] = [];
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const rows = db.prepare<[], { position: number; id: string; stream_id: string; revision: number; data: string; metadata: string }>(
      'SELECT position, id, stream_id, revision, data, metadata FROM events ORDER BY position',
    ).all();
    const ids = new Set<string>();
    const revisions = new Map<string, number>();
    const correlationIds = new Map<string, number>();
    let lastPosition = 0;
    for (const row of rows) {
      if (ids.has(row.id)) problems.push(`event id ${row.id} twice`);
      ids.add(row.id);
      if (row.position <= lastPosition) problems.push(`position ${row.position} after ${lastPosition}`);
      lastPosition = row.position;
      const expected = (revisions.get(row.stream_id) ?? -1) + 1;
      if (row.revision !== expected) problems.push(`stream ${row.stream_id}: revision ${row.revision} where ${expected} was due`);
      revisions.set(row.stream_id, row.revision);
      try {
        JSON.parse(row.data);
        const metadata = JSON.parse(row.metadata) as { correlationId?: string };
        if (metadata.correlationId) correlationIds.set(metadata.correlationId, (correlationIds.get(metadata.correlationId) ?? 0) + 1);
      } catch {
        problems.push(`event at ${row.position}: unreadable JSON`);
      }
    }
    return { events: rows.length, streams: revisions.size, correlationIds, problems };
  } finally {
    db.close();
  }
}

/** Polls /health until a check begun after this call shows every projection at the log head; a failure shows the last /health and what the processes wrote. */
export async function waitForCatchUp(api: RunningApi, timeoutMs: number, others: readonly ServiceProcess[] = []): Promise<{ logHead: number }> {
  const called = Date.now();
  const deadline = called + timeoutMs;
  let last: unknown;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const health = (await (await fetch(`${api.baseUrl}/health`, { signal: AbortSignal.timeout(5_000) })).json()) as HealthAnswer;
      last = health;
      if (caughtUpSince(health, called)) return health;
    } catch (error) {
      lastError = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const outputs = [api.service, ...others].map((service, i) => `--- process ${i}:\n${service.output().slice(-3_000)}`).join('\n');
  throw new Error(`the projections did not reach the log head within ${timeoutMs / 1000} s; last /health: ${JSON.stringify(last)} ${lastError}\n${outputs}`);
}

/** Whether some projection is behind the log head (by /health's last background check): a fault now lands on a projection at work. */
export async function projectionsBehind(api: RunningApi): Promise<boolean> {
  try {
    const health = (await (await fetch(`${api.baseUrl}/health`, { signal: AbortSignal.timeout(2_000) })).json()) as { logHead: number; projections: Record<string, number> };
    return Object.values(health.projections).some((position) => position < health.logHead);
  } catch {
    return false;
  }
}

export interface ReadModelComparison {
  /** Documents compared, per projection. */
  documents: Record<string, number>;
  differences: string[];
}

/**
 * Every read model of a stopped stack against an independent fold of its log: `cli verify`'s
 * check (verifyProjection) of every projection, which folds the whole log afresh into a scratch
 * store, each event once in log order, and compares every document of every collection. Each
 * projection's checkpoint must also be at the log's head (nothing lost at the end).
 */
export async function compareWithFreshFold(env: Record<string, string>): Promise<ReadModelComparison> {
  const config = loadConfig(env);
  const eventStore = await openEventLog(config);
  const live = await openDocumentStore(config);
  try {
    const head = await eventStore.headPosition();
    const documents: Record<string, number> = {};
    const differences: string[] = [];
    for (const projection of ALL_PROJECTIONS) {
      const result = await verifyProjection(eventStore, live, projection, { settleMs: 0 });
      documents[projection.name] = result.checked;
      if (result.position !== head) differences.push(`${projection.name}: checkpoint ${result.position}, log head ${head}`);
      if (result.skipped > 0) differences.push(`${projection.name}: ${result.skipped} documents past the checkpoint`);
      for (const { collection, id, problem, properties } of result.differences) {
        differences.push(`${projection.name} ${collection} ${id}: ${problem}${properties ? ` (${properties.join(', ')})` : ''}`);
      }
    }
    return { documents, differences };
  } finally {
    await live.close();
    await eventStore.close();
  }
}

/** Drops a stack's MongoDB databases (read models and keys). */
export async function dropDatabases(uri: string, databases: readonly string[]): Promise<void> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 3_000 }).catch(() => null);
  for (const database of databases) await client?.db(database).dropDatabase().catch(() => undefined);
  await client?.close();
}

/** A line on stdout while a long fault test runs, so that a stall shows where it is. */
export function progress(message: string): void {
  if (process.env.FAULT_PROGRESS) console.log(`fault progress: ${message}`);
}

export function figures(name: string, values: Record<string, unknown>): void {
  console.log(`fault figures: ${JSON.stringify({ test: name, ...values })}`);
}
