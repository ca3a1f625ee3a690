import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../apps/api/create-api-app.js';
import { mintToken, type TokenRole } from '../../apps/api/auth/tokens.js';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store.js';
import { loadConfig, type AppConfig } from '../../libs/shared-kernel/config.js';

export const TEST_SECRET = 'e2e-secret-that-is-long-enough-for-hs256';

export interface ApiHarness {
  baseUrl: string;
  config: AppConfig;
  token(role: TokenRole, options?: { sub?: string; workspace?: string; expiresIn?: string | number; secret?: string }): Promise<string>;
  request(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  /** Number of events in the log, read from the SQLite file by a second connection. */
  logSize(): Promise<number>;
  close(): Promise<void>;
  restart(): Promise<void>;
}

/** Starts the real API on a loopback port with a fresh data folder (or the one given). */
export async function startApi(env: Record<string, string | undefined> = {}, dataDir?: string): Promise<ApiHarness> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'contact-profiles-e2e-'));
  const config = loadConfig({ DATA_DIR: dir, AUTH_JWT_SECRET: TEST_SECRET, ...env });
  let app: NestFastifyApplication = await listen(config);
  let baseUrl = await app.getUrl();

  const harness: ApiHarness = {
    get baseUrl() {
      return baseUrl;
    },
    config,
    token: (role, options = {}) =>
      mintToken({ sub: options.sub ?? `${role}-1`, workspace: options.workspace ?? 'acme', role }, options.secret ?? TEST_SECRET, options.expiresIn ?? '1h'),
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await response.text();
      return { status: response.status, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: response.headers };
    },
    async logSize() {
      const store = SqliteEventStore.open(join(config.dataDir, 'events.sqlite'));
      try {
        return (await store.readAll()).length;
      } finally {
        await store.close();
      }
    },
    async close() {
      await app.close();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await app.close();
      app = await listen(config);
      baseUrl = await app.getUrl();
    },
  };
  return harness;
}

async function listen(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await createApiApp(config, false);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}
