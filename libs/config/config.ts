import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConnectionString } from 'mongodb-connection-string-url';

/** The configuration of every app, read from the environment (API.md, "Running it"). */
export interface AppConfig {
  port: number;
  dataDir: string;
  jwtSecret: string;
  /** Absent: the embedded SQLite log under `dataDir`. */
  eventStoreConnectionString: string | undefined;
  /** Absent: the embedded SQLite read models under `dataDir`. */
  mongodbUri: string | undefined;
  /** `MONGODB_DATABASE`, else the database named by `MONGODB_URI`'s path, else `contact_profiles`. */
  mongodbDatabase: string;
  /** Run the projections inside this process (the embedded default); false where apps/projector runs them. */
  runProjections: boolean;
  /** `PROJECTION_THREAD`: run this process's projections on a worker thread of their own (the default), not on the API's event loop. */
  projectionThread: boolean;
  /** `PROJECTION_LEASE_TTL_MS`: how long a projection's lease runs without renewal; absent: the runtime's default (projection-lease.ts). */
  projectionLeaseTtlMs: number | undefined;
  /** How often SSE streams send a comment line to keep idle connections open (API.md: at least every 15 s). */
  sseHeartbeatMs: number;
  /** Where the per-contact keys of crypto-shredding live: MongoDB when a URI is configured, else `dataDir/keys.sqlite`. */
  keyStore: { kind: 'sqlite' } | { kind: 'mongodb'; uri: string; database: string };
  /** `NODE_ENV=production`: refuses a generated secret and an engine without TLS (see `productionProblems`). */
  production: boolean;
  /** `CORS_ORIGINS`: the browser origins allowed to call the API (comma-separated, `*` for any); none by default. */
  corsOrigins: string[];
  /** Requests per token (subject + workspace) per window; unauthenticated requests count per client address. */
  rateLimit: { max: number; windowMs: number };
  /** `REDIS_URL`: where the rate-limit counts are shared by every API instance; absent, each instance counts in memory. */
  redisUrl: string | undefined;
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): AppConfig {
  const dataDir = resolve(env.DATA_DIR || './data');
  const production = env.NODE_ENV === 'production';
  if (production) {
    const problems = productionProblems(env);
    if (problems.length > 0) throw new Error(`NODE_ENV=production refuses to start: ${problems.join('; ')}`);
  }
  mkdirSync(dataDir, { recursive: true });
  return {
    port: parsePort(env.PORT),
    dataDir,
    jwtSecret: env.AUTH_JWT_SECRET || generatedSecret(dataDir),
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    mongodbUri: env.MONGODB_URI || undefined,
    mongodbDatabase: env.MONGODB_DATABASE || databaseOfUri(env.MONGODB_URI) || DEFAULT_MONGODB_DATABASE,
    runProjections: parseBoolean('RUN_PROJECTIONS', env.RUN_PROJECTIONS, true),
    projectionThread: parseBoolean('PROJECTION_THREAD', env.PROJECTION_THREAD, true),
    projectionLeaseTtlMs: parseLeaseTtl(env.PROJECTION_LEASE_TTL_MS),
    sseHeartbeatMs: parseMilliseconds('SSE_HEARTBEAT_MS', env.SSE_HEARTBEAT_MS, 10_000),
    keyStore: keyStoreConfig(env),
    production,
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''),
    rateLimit: {
      max: parseCount('RATE_LIMIT_MAX', env.RATE_LIMIT_MAX, 6_000),
      windowMs: parseCount('RATE_LIMIT_WINDOW_MS', env.RATE_LIMIT_WINDOW_MS, 60_000),
    },
    redisUrl: env.REDIS_URL || undefined,
  };
}

const MIN_PRODUCTION_SECRET_LENGTH = 32;

/** Why this environment may not run in production: a secret the process would make up, engines reached without TLS. */
function productionProblems(env: Env): string[] {
  const problems: string[] = [];
  if (!env.AUTH_JWT_SECRET) problems.push('set AUTH_JWT_SECRET (a generated secret lives in one data folder and differs between instances)');
  else if (env.AUTH_JWT_SECRET.length < MIN_PRODUCTION_SECRET_LENGTH) problems.push(`AUTH_JWT_SECRET must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters`);
  if (env.EVENTSTORE_CONNECTION_STRING && /[?&]tls=false\b/i.test(env.EVENTSTORE_CONNECTION_STRING)) {
    problems.push('EVENTSTORE_CONNECTION_STRING has tls=false');
  }
  for (const name of ['MONGODB_URI', 'KEY_STORE_MONGODB_URI'] as const) {
    const uri = env[name];
    if (uri && !asksForTls(uri)) problems.push(`${name} does not ask for TLS (add tls=true, or use a mongodb+srv:// address)`);
  }
  return problems;
}

/** A MongoDB connection string that connects with TLS: `tls=true` (or its alias `ssl=true`), or SRV, which defaults to TLS. */
function asksForTls(uri: string): boolean {
  const query = new URLSearchParams(uri.includes('?') ? uri.slice(uri.indexOf('?') + 1) : '');
  const tls = query.get('tls') ?? query.get('ssl');
  return tls === null ? uri.startsWith('mongodb+srv://') : tls.toLowerCase() === 'true';
}

function parseCount(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1) throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return count;
}

const DEFAULT_MONGODB_DATABASE = 'contact_profiles';

/** The database a MongoDB URI names in its path (`mongodb://host/tenant_a`), as every MongoDB client reads it. */
function databaseOfUri(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  let path: string;
  try {
    path = new ConnectionString(uri).pathname;
  } catch (error) {
    throw new Error(`MONGODB_URI is not a MongoDB connection string: ${error instanceof Error ? error.message : String(error)}`);
  }
  return decodeURIComponent(path.replace(/^\//, '')) || undefined;
}

/** Renewed by the loops' 1 s heartbeat once two thirds of it are left: under 3 s it could lapse between beats. */
function parseLeaseTtl(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 3_000 || ms > 600_000) throw new Error(`PROJECTION_LEASE_TTL_MS must be a number of milliseconds from 3000 to 600000, got "${raw}"`);
  return ms;
}

function parsePort(raw: string | undefined): number {
  if (!raw) return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${raw}"`);
  return port;
}

function parseBoolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

function parseMilliseconds(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 10 || ms > 15_000) throw new Error(`${name} must be a number of milliseconds from 10 to 15000, got "${raw}"`);
  return ms;
}

/** The embedded default keeps one random secret in the data folder, so tokens survive restarts. */
function generatedSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}

function keyStoreConfig(env: Env): AppConfig['keyStore'] {
  const uri = env.KEY_STORE_MONGODB_URI || env.MONGODB_URI;
  const kind = env.KEY_STORE || (uri ? 'mongodb' : 'sqlite');
  if (kind === 'sqlite') return { kind };
  if (kind !== 'mongodb') throw new Error(`KEY_STORE must be sqlite or mongodb, got "${kind}"`);
  if (!uri) throw new Error('KEY_STORE=mongodb needs KEY_STORE_MONGODB_URI or MONGODB_URI');
  return { kind, uri, database: env.KEY_STORE_MONGODB_DATABASE || `${env.MONGODB_DATABASE || 'contact_profiles'}_keys` };
}
