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
  };
}

function parsePort(raw: string | undefined): number {
  if (!raw) return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${raw}"`);
  return port;
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
