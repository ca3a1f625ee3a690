import { loadConfig } from '../libs/config/config.js';

/**
 * The API as the benchmarks run it: one signing secret, and a rate limit far above any load they
 * generate (the production default, 6,000 requests per token a minute, would answer them with 429s).
 */
export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret';
export const BENCH_API_ENV = { AUTH_JWT_SECRET: BENCH_SECRET, RATE_LIMIT_MAX: String(1_000_000_000) } as const;
export const benchApiConfig = (dataDir: string) => loadConfig({ DATA_DIR: dataDir, ...BENCH_API_ENV });
