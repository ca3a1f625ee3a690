import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../apps/api/create-api-app.js';
import { mintToken, type TokenRole } from '../../libs/auth/tokens.js';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store.js';
import { loadConfig, type AppConfig } from '../../libs/config/config.js';
import { OpenApiContract } from './openapi-contract.js';

export const TEST_SECRET = 'e2e-secret-that-is-long-enough-for-hs256';

export interface ApiHarness {
  baseUrl: string;
  config: AppConfig;
  token(role: TokenRole, options?: { sub?: string; workspace?: string; expiresIn?: string | number; secret?: string }): Promise<string>;
  /** Every response is checked against the OpenAPI document the server serves (see openapi-contract.ts). */
  request(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  /** `fetch` that checks each response against the OpenAPI document, for clients such as libs/client. */
  fetch: typeof fetch;
  /** Number of events in the log, read from the SQLite file by a second connection. */
  logSize(): Promise<number>;
  close(): Promise<void>;
  restart(): Promise<void>;
  /** The Node HTTP server, for tests that look at its sockets. */
  httpServer(): import('node:http').Server;
}

/** Starts the real API on a loopback port with a fresh data folder (or the one given). */
export async function startApi(env: Record<string, string | undefined> = {}, dataDir?: string): Promise<ApiHarness> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'contact-profiles-e2e-'));
  const config = loadConfig({ DATA_DIR: dir, AUTH_JWT_SECRET: TEST_SECRET, ...env });
  let app: NestFastifyApplication;
  try {
    app = await listen(config);
  } catch (error) {
    if (!dataDir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let baseUrl = await app.getUrl();
  const contract = new OpenApiContract((await (await fetch(`${baseUrl}/docs-json`)).json()) as Record<string, unknown>);

  /** Reads the whole body (a test never reads a stream from here) and checks the response against the document. */
  const checkedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const response = await fetch(request);
    const text = await response.text();
    contract.check(request.method, request.url, { status: response.status, contentType: response.headers.get('content-type'), body: text });
    return new Response(text === '' ? null : text, { status: response.status, statusText: response.statusText, headers: response.headers });
  };

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
      const response = await checkedFetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await response.text();
      return { status: response.status, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: response.headers };
    },
    fetch: checkedFetch as typeof fetch,
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
    httpServer: () => app.getHttpServer(),
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
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    // A refused start (read models of another log) leaves no store open behind it.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}
