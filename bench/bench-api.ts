import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiApp } from '../apps/api/create-api-app.js';
import { mintToken } from '../libs/auth/tokens.js';
import { loadConfig } from '../libs/config/config.js';

/**
 * The API as the benchmarks run it: one signing secret, and a rate limit far above any load they
 * generate (the production default, 6,000 requests per token a minute, would answer them with 429s).
 */
export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret';
export const BENCH_API_ENV = { AUTH_JWT_SECRET: BENCH_SECRET, RATE_LIMIT_MAX: String(1_000_000_000) } as const;
export const benchApiConfig = (dataDir: string) => loadConfig({ DATA_DIR: dataDir, ...BENCH_API_ENV });

/** An embedded API of this process on a fresh data folder, and the tokens of workspace `bench`. */
export interface BenchApi {
  url: string;
  /** Bearer tokens: an owner (agent app) and an integration (channel connector). */
  owner: string;
  integration: string;
}

/** Runs `measure` against a fresh embedded API, then closes it and removes its data. */
export async function withBenchApi<T>(name: string, measure: (api: BenchApi) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `${name}-bench-`));
  const app = await createApiApp(benchApiConfig(dir), false);
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await measure({
      url: await app.getUrl(),
      owner: await mintToken({ sub: 'owner-1', workspace: 'bench', role: 'owner' }, BENCH_SECRET),
      integration: await mintToken({ sub: 'connector-1', workspace: 'bench', role: 'integration' }, BENCH_SECRET),
    });
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
