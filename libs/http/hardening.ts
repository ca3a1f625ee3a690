import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { Redis } from 'ioredis';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/config.js';
import { verifyToken } from '../auth/tokens.js';

/** Probes and scrapers poll from one address and must never be turned away. */
export const UNLIMITED_ROUTES: ReadonlySet<string> = new Set(['/health', '/metrics']);

export class RateLimitedError extends Error {}

/**
 * Bounds on every call to the shared rate-limit store: a Redis that is down or slow costs a request
 * at most this long, never a hang. Then the request is let through (fail-open, `skipOnError`): the
 * limit is a guard against floods, not a correctness rule, and an outage of Redis must not become an
 * outage of the API. Meanwhile a warning is logged (once per outage) and the client reconnects.
 */
const REDIS_TIMEOUT_MS = 500;

/** Response headers a browser client may read (ETags for If-Match, cursors, the correlation id). */
const EXPOSED_HEADERS = ['ETag', 'Next-Cursor', 'X-Read-Consistency', 'X-Correlation-Id', 'Retry-After'];

/**
 * Security headers (helmet's, see `securityHeaders`), CORS for the configured origins only, and a rate limit per token:
 * a verified token counts for its subject in its workspace, anything else for its client address
 * (a forged token never spends another caller's budget). A 429 comes in the API's one error shape.
 */
export async function harden(app: NestFastifyApplication, config: AppConfig, onLimited: () => void): Promise<void> {
  const api = securityHeaders('api');
  const page = securityHeaders('page');
  app.getHttpAdapter().getInstance().addHook('onRequest', (request, reply, done) => {
    reply.headers(isDocumentationPage(request.url) ? page : api);
    done();
  });
  await app.register(cors, {
    origin: config.corsOrigins.includes('*') ? true : config.corsOrigins.length > 0 ? config.corsOrigins : false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  // Probes and scrapers get no rate-limit hook at all (registered before the plugin's own onRoute hook).
  app.getHttpAdapter().getInstance().addHook('onRoute', (route) => {
    if (UNLIMITED_ROUTES.has(route.url)) route.config = { ...route.config, rateLimit: false };
  });
  const redis = config.redisUrl ? await sharedCounter(app, config.redisUrl) : undefined;
  await app.register(rateLimit, {
    global: true,
    ...(redis ? { redis, nameSpace: 'contact-profiles-rate-limit:', skipOnError: true } : {}),
    max: config.rateLimit.max,
    timeWindow: config.rateLimit.windowMs,
    keyGenerator: (request) => rateLimitKey(request, config.jwtSecret),
    onExceeded: onLimited,
    // Thrown into the Nest exception layer, which renders it in the one error shape (error-mapping.ts).
    errorResponseBuilder: (_request, context) => new RateLimitedError(`Too many requests: at most ${context.max} per window; retry in ${context.after}`),
  });
}

/**
 * Helmet's security headers, computed once: they do not depend on the request, while
 * @fastify/helmet builds helmet's middleware again for every request (12 % of the CPU of a
 * trivial route in a profile).
 *
 * `api`: what every JSON answer carries, after OWASP's REST Security Cheat Sheet: a response that
 * is never a page is never cached, framed (CSP `frame-ancestors 'none'` and X-Frame-Options DENY),
 * sniffed into HTML, loaded by another origin without CORS (CORP), or fetched over plain HTTP
 * (HSTS); its CSP allows nothing, since nothing in it may load. Helmet's other defaults
 * (DNS prefetch, download options, Flash and Acrobat policies, origin-agent clustering, opener
 * policy, referrer policy, the XSS auditor switch) only act on HTML documents: each header costs
 * every answer 1 to 2 % of a light route's CPU (node validates and writes each one).
 * `page`: helmet's defaults unchanged, for the HTML pages of the documentation under /docs.
 */
export function securityHeaders(kind: 'api' | 'page'): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(kind === 'page' ? {} : API_HELMET_OPTIONS)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return kind === 'page' ? headers : { 'cache-control': 'no-store', ...headers };
}

const API_HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: 'deny' },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  referrerPolicy: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/** Swagger UI's page and assets (docs-json, the document itself, is JSON like any answer). */
const isDocumentationPage = (url: string): boolean => url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?');

async function rateLimitKey(request: FastifyRequest, secret: string): Promise<string> {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (token) {
    try {
      const principal = await verifyToken(token, secret);
      return `token:${JSON.stringify([principal.workspace, principal.id])}`;
    } catch {
      // Refused later by the auth guard; counted by address meanwhile.
    }
  }
  return `address:${request.ip}`;
}

/**
 * The ioredis client the limiter counts in (`REDIS_URL`), with bounded calls; closed with the app.
 * Waits a bounded time for the first connection, so that the first requests are counted too; a
 * Redis down at start does not stop the API (fail-open, as above).
 */
async function sharedCounter(app: NestFastifyApplication, url: string): Promise<Redis> {
  const redis = new Redis(url, {
    connectTimeout: REDIS_TIMEOUT_MS,
    commandTimeout: REDIS_TIMEOUT_MS,
    // No queue while disconnected: a count fails at once and the request goes through (see above).
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    app.getHttpAdapter().getInstance().log.warn({ err: error.message }, 'rate-limit store (REDIS_URL) unreachable: requests are not limited until it is back');
  });
  redis.on('ready', () => (down = false));
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 4 * REDIS_TIMEOUT_MS);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  app.getHttpAdapter().getInstance().addHook('onClose', async () => {
    redis.disconnect();
  });
  return redis;
}
