import type { FastifyInstance } from 'fastify';
import { ApiMetrics } from './api-metrics.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Times every command (a write request) by type — its method and route pattern, never the raw
 * URL, so ids do not explode the label set — and outcome. Requests matching no route count
 * as `unknown`.
 */
export function recordCommandMetrics(fastify: FastifyInstance, metrics: ApiMetrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    done();
    if (!WRITE_METHODS.has(request.method)) return;
    const route = request.routeOptions.url ?? 'unknown';
    const labels = { command: `${request.method} ${route}`, outcome: ApiMetrics.outcomeOf(reply.statusCode) };
    metrics.commands.inc(labels);
    metrics.commandSeconds.observe(labels, reply.elapsedTime / 1000);
  });
}
