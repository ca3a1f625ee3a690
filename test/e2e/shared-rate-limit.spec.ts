import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { mintToken } from '../../libs/auth/tokens.js';
import { TEST_SECRET } from '../support/api-harness.js';
import { startApiProcess, type ApiProcess } from '../support/api-process.js';

/**
 * The rate limit across instances (issue 11, item 3): two API processes with one REDIS_URL share
 * one budget per token; a Redis that is down lets requests through (fail-open) instead of hanging
 * them. Redis runs on this machine and in CI at 127.0.0.1:6379; with CI=true a missing Redis fails.
 */
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const available = await redisAnswers(REDIS_URL);
const describeWithRedis = available || process.env.CI === 'true' ? describe : describe.skip;
if (!available && process.env.CI !== 'true') it.todo(`NOT RUN: no Redis at ${REDIS_URL} (set REDIS_URL or start redis-server; CI=true fails instead)`);

describeWithRedis('rate limit shared through REDIS_URL by two API processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'contact-profiles-rate-'));
  let first: ApiProcess;
  let second: ApiProcess;

  beforeAll(async () => {
    if (!available) throw new Error(`CI=true and no Redis answers at ${REDIS_URL}: the shared rate limit cannot be tested`);
    const env = { DATA_DIR: dir, REDIS_URL, RATE_LIMIT_MAX: '6', RATE_LIMIT_WINDOW_MS: '60000' };
    first = await startApiProcess(env);
    second = await startApiProcess(env);
  }, 120_000);
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (api: ApiProcess, token: string) => (await fetch(`${api.baseUrl}/v1/custom-fields`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('counts one budget per token over both instances', async () => {
    // A subject of its own per run: the shared Redis keeps counts of earlier runs for a minute.
    const token = await mintToken({ sub: `agent-${randomUUID()}`, workspace: 'acme', role: 'agent' }, TEST_SECRET, '1h');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push(await get(i % 2 === 0 ? first : second, token));
    // Each instance alone would have let all 8 through (4 each, under its max of 6).
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    const other = await mintToken({ sub: `agent-${randomUUID()}`, workspace: 'acme', role: 'agent' }, TEST_SECRET, '1h');
    expect(await get(second, other)).toBe(200);
  });
});

describe('rate limit with REDIS_URL naming a Redis that does not answer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'contact-profiles-rate-down-'));
  let api: ApiProcess;

  beforeAll(async () => {
    // Port 9 (discard) on loopback: nothing listens, connections are refused at once.
    api = await startApiProcess({ DATA_DIR: dir, REDIS_URL: 'redis://127.0.0.1:9', RATE_LIMIT_MAX: '2' });
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves requests unlimited (fail-open) and says so once in its log', async () => {
    const token = await mintToken({ sub: 'agent-1', workspace: 'acme', role: 'agent' }, TEST_SECRET, '1h');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push(await get(token));
    expect(statuses).toEqual([200, 200, 200, 200]);
    const warnings = api.stdout().split('\n').filter((line) => line.includes('rate-limit store (REDIS_URL) unreachable'));
    expect(warnings).toHaveLength(1);
  });

  const get = async (token: string) => (await fetch(`${api.baseUrl}/v1/custom-fields`, { headers: { authorization: `Bearer ${token}` } })).status;
});
