import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

export const CORRELATION_ID_HEADER = 'x-correlation-id';
const CORRELATION_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * The request's correlation id (Fastify's request id): the caller's `X-Correlation-Id` when it is
 * 1 to 128 printable ASCII characters, else a new UUID. It labels the request's log lines, goes
 * back in the response header, and becomes `metadata.correlationId` of the events it writes.
 */
export function correlationIdOf(request: IncomingMessage): string {
  const header = request.headers[CORRELATION_ID_HEADER];
  return typeof header === 'string' && CORRELATION_ID.test(header) ? header : randomUUID();
}

/** Echoes the id on every response, streams included (set on the raw response, which hijacked replies write too). */
export function echoCorrelationId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.raw.setHeader(CORRELATION_ID_HEADER, request.id);
    done();
  });
}
