import { startApi, TEST_SECRET, type ApiHarness } from '../support/api-harness.js';
import { loadConfig } from '../../libs/config/config.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every header helmet may send, with the one an API answer must not be cached under. */
const SECURITY_HEADERS = [
  'cache-control', 'content-security-policy', 'cross-origin-embedder-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy',
  'origin-agent-cluster', 'referrer-policy', 'strict-transport-security', 'x-content-type-options', 'x-dns-prefetch-control',
  'x-download-options', 'x-frame-options', 'x-permitted-cross-domain-policies', 'x-xss-protection',
];

describe('hardening over HTTP: security headers, CORS, rate limit per token, production mode', () => {
  describe('with CORS_ORIGINS and a small rate limit', () => {
    let api: ApiHarness;

    beforeAll(async () => {
      api = await startApi({ CORS_ORIGINS: 'https://inbox.example.com, https://admin.example.com', RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '60000' });
    });
    afterAll(() => api.close());

    it("sends helmet's security headers for a JSON API (OWASP REST Security Cheat Sheet) on every answer", async () => {
      const response = await fetch(`${api.baseUrl}/health`);
      expect(Object.fromEntries([...response.headers].filter(([name]) => SECURITY_HEADERS.includes(name)))).toEqual({
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none';frame-ancestors 'none'",
        'cross-origin-resource-policy': 'same-origin',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
      });
      const refused = await api.request('GET', '/v1/contacts/nobody');
      expect(refused.status).toBe(401);
      expect(refused.headers.get('x-frame-options')).toBe('DENY');
      expect(refused.headers.get('cache-control')).toBe('no-store');
    });

    it("sends helmet's defaults, made for HTML, on the documentation's pages", async () => {
      const page = await fetch(`${api.baseUrl}/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'self';/);
      expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(page.headers.get('x-dns-prefetch-control')).toBe('off');
    });

    it('sends the security and CORS headers on streams too', async () => {
      const token = await api.token('owner', { sub: 'olga', workspace: 'acme' });
      const response = await fetch(`${api.baseUrl}/v1/events?from=0`, { headers: { authorization: `Bearer ${token}`, origin: 'https://inbox.example.com' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/application\/x-ndjson/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
      expect(response.headers.get('access-control-allow-origin')).toBe('https://inbox.example.com');
      expect(response.headers.get('x-correlation-id')).toBeTruthy();
      await response.text();
    });

    it('allows the configured origins only, and exposes ETag and the correlation id', async () => {
      const preflight = await fetch(`${api.baseUrl}/v1/contacts/x`, {
        method: 'OPTIONS',
        headers: { origin: 'https://inbox.example.com', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,if-match,content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://inbox.example.com');
      expect(preflight.headers.get('access-control-allow-methods')).toMatch(/PATCH/);

      const allowed = await fetch(`${api.baseUrl}/health`, { headers: { origin: 'https://admin.example.com' } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
      expect(allowed.headers.get('access-control-expose-headers')).toMatch(/ETag.*X-Correlation-Id/);

      const foreign = await fetch(`${api.baseUrl}/health`, { headers: { origin: 'https://evil.example.net' } });
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('limits each token (subject + workspace) on its own, with a 429 in the one error shape', async () => {
      const ann = await api.token('agent', { sub: 'ann', workspace: 'acme' });
      const annElsewhere = await api.token('agent', { sub: 'ann', workspace: 'globex' });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await api.request('GET', '/v1/custom-fields', { token: ann })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const limited = await api.request('GET', '/v1/custom-fields', { token: ann });
      expect(limited.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/Too many requests/) });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // The same subject in another workspace, and a forged token naming ann, spend nothing of ann's budget.
      expect((await api.request('GET', '/v1/custom-fields', { token: annElsewhere })).status).toBe(200);
      const forged = await api.token('agent', { sub: 'ann', workspace: 'acme', secret: 'not-the-secret-but-long-enough-for-hs256' });
      expect((await api.request('GET', '/v1/custom-fields', { token: forged })).status).toBe(401);
    });

    it('never limits the probes and the scrape', async () => {
      for (let i = 0; i < 8; i++) {
        expect((await api.request('GET', '/health')).status).toBe(200);
        expect((await api.request('GET', '/metrics')).status).toBe(200);
      }
    });

    it('counts refused requests in /metrics', async () => {
      const text = await (await fetch(`${api.baseUrl}/metrics`)).text();
      expect(text).toMatch(/^contact_profiles_rate_limited_requests_total [1-9]/m);
    });
  });

  it('sends no CORS headers when CORS_ORIGINS is not set', async () => {
    const api = await startApi();
    try {
      const response = await fetch(`${api.baseUrl}/health`, { headers: { origin: 'https://inbox.example.com' } });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await api.close();
    }
  });

  describe('NODE_ENV=production', () => {
    const dir = mkdtempSync(join(tmpdir(), 'contact-profiles-production-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('refuses to start with a generated secret, a short one, or an engine without TLS', () => {
      expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dir })).toThrow(/refuses to start: set AUTH_JWT_SECRET/);
      expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dir, AUTH_JWT_SECRET: 'short' })).toThrow(/at least 32 characters/);
      expect(() =>
        loadConfig({ NODE_ENV: 'production', DATA_DIR: dir, AUTH_JWT_SECRET: TEST_SECRET, EVENTSTORE_CONNECTION_STRING: 'esdb://esdb1:2113?tls=false' }),
      ).toThrow(/tls=false/);
      const production = (uri: Record<string, string>) => () => loadConfig({ NODE_ENV: 'production', DATA_DIR: dir, AUTH_JWT_SECRET: TEST_SECRET, ...uri });
      expect(production({ MONGODB_URI: 'mongodb://mongo1:27017/?replicaSet=rs0' })).toThrow(/MONGODB_URI does not ask for TLS/);
      expect(production({ MONGODB_URI: 'mongodb://mongo1:27017/?tls=false' })).toThrow(/MONGODB_URI does not ask for TLS/);
      expect(production({ MONGODB_URI: 'mongodb+srv://cluster.example.com/?ssl=false' })).toThrow(/MONGODB_URI does not ask for TLS/);
      expect(production({ KEY_STORE_MONGODB_URI: 'mongodb://keys:27017/' })).toThrow(/KEY_STORE_MONGODB_URI does not ask for TLS/);
      for (const uri of ['mongodb://mongo1:27017/?replicaSet=rs0&tls=true', 'mongodb://m:27017/?ssl=true', 'mongodb+srv://cluster.example.com/db']) {
        expect(production({ MONGODB_URI: uri })().production).toBe(true);
      }
    });

    it('serves with a configured secret', async () => {
      const api = await startApi({ NODE_ENV: 'production' });
      try {
        expect(api.config.production).toBe(true);
        expect((await api.request('GET', '/health')).status).toBe(200);
      } finally {
        await api.close();
      }
    });
  });
});
