import type { FastifyInstance } from 'fastify';

const IDLE_SWEEP_MS = 100;

/**
 * Lets a closing server drain instead of waiting out keep-alive timeouts: once it closes (preClose),
 * every answer still sent says `Connection: close`, and connections that fall idle later (a command
 * in flight at the signal, answered afterwards) are closed as they do. Node's `server.close()` only
 * closes the connections idle at the moment it is called; a client's pool may never reuse the
 * others, which would hold the shutdown for Fastify's 72 s keep-alive.
 */
export function drainOnClose(fastify: FastifyInstance): void {
  let closing = false;
  let sweep: NodeJS.Timeout | undefined;
  fastify.addHook('preClose', async () => {
    closing = true;
    sweep = setInterval(() => fastify.server.closeIdleConnections(), IDLE_SWEEP_MS);
    sweep.unref();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
  fastify.addHook('onClose', async () => clearInterval(sweep));
}
