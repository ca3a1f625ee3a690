import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The configuration of every app, read from the environment (API.md, "Running it"). */
export interface AppConfig {
  port: number;
  dataDir: string;
  jwtSecret: string;
  /** Absent: the embedded SQLite log under `dataDir`. */
  eventStoreConnectionString: string | undefined;
  /** Absent: in-memory read models rebuilt from the log at start. */
  mongodbUri: string | undefined;
  mongodbDatabase: string;
  /** Run the projections inside this process (the embedded default); false where apps/projector runs them. */
  runProjections: boolean;
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): AppConfig {
  const dataDir = resolve(env.DATA_DIR || './data');
  mkdirSync(dataDir, { recursive: true });
  return {
    port: parsePort(env.PORT),
    dataDir,
    jwtSecret: env.AUTH_JWT_SECRET || generatedSecret(dataDir),
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    mongodbUri: env.MONGODB_URI || undefined,
    mongodbDatabase: env.MONGODB_DATABASE || 'contact_profiles',
    runProjections: parseBoolean('RUN_PROJECTIONS', env.RUN_PROJECTIONS, true),
  };
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

/** The embedded default keeps one random secret in the data folder, so tokens survive restarts. */
function generatedSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}
