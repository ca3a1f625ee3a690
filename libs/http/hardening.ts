import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/config.js';
import { verifyToken } from '../auth/tokens.js';

/** Probes and scrapers poll from one address and must never be turned away. */
export const UNLIMITED_ROUTES: ReadonlySet<string> = new Set(['/health', '/metrics']);

export class RateLimitedError extends Error {}

/** Response headers a browser client may read (ETags for If-Match, cursors, the correlation id). */
const EXPOSED_HEADERS = ['ETag', 'Next-Cursor', 'X-Read-Consistency', 'X-Correlation-Id', 'Retry-After'];

/**
 * Security headers (helmet), CORS for the configured origins only, and a rate limit per token:
 * a verified token counts for its subject in its workspace, anything else for its client address
 * (a forged token never spends another caller's budget). A 429 comes in the API's one error shape.
 */
export async function harden(app: NestFastifyApplication, config: AppConfig, onLimited: () => void): Promise<void> {
  await app.register(helmet, { global: true });
  await app.register(cors, {
    origin: config.corsOrigins.includes('*') ? true : config.corsOrigins.length > 0 ? config.corsOrigins : false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimit.max,
    timeWindow: config.rateLimit.windowMs,
    keyGenerator: (request) => rateLimitKey(request, config.jwtSecret),
    allowList: (request) => UNLIMITED_ROUTES.has(request.routeOptions.url ?? ''),
    onExceeded: onLimited,
    // Thrown into the Nest exception layer, which renders it in the one error shape (error-mapping.ts).
    errorResponseBuilder: (_request, context) => new RateLimitedError(`Too many requests: at most ${context.max} per window; retry in ${context.after}`),
  });
}

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
