import { Logger } from '@nestjs/common';
import { loadConfig } from '../../libs/config/config.js';
import { createApiApp } from './create-api-app.js';

function refuseToStart(error: unknown): never {
  process.stderr.write(`contact-profiles API did not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  // A bad setting (production mode without a secret…): say so plainly, without a stack.
  refuseToStart(error);
}
const app = await createApiApp(config);
try {
  await app.listen({ port: config.port, host: '0.0.0.0' });
} catch (error) {
  // Read models of another log, a store that does not answer: say so plainly, without a stack.
  await app.close().catch(() => undefined);
  refuseToStart(error);
}
const logger = new Logger('api');
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutDown(signal));
logger.log(`contact-profiles API on http://localhost:${config.port} (docs at /docs, data in ${config.dataDir})`);

/** Longer than any bounded store call (5 s), shorter than an orchestrator's kill grace (Docker: 10 s). */
const SHUTDOWN_BOUND_MS = 8_000;

/**
 * Graceful shutdown: the server stops accepting (new requests on open connections get 503), the
 * commands in flight finish and send their answers (their events are in the log), streams end,
 * the projections finish their batch and store its checkpoint, the stores close; then exit 0.
 * Past the bound: exit 1, and the log plus the checkpoints make the next start consistent anyway.
 */
async function shutDown(signal: string): Promise<void> {
  logger.log(`${signal}: finishing the requests in flight, then stopping`);
  const bound = setTimeout(() => {
    process.stderr.write(`contact-profiles API did not stop within ${SHUTDOWN_BOUND_MS} ms\n`);
    process.exit(1);
  }, SHUTDOWN_BOUND_MS);
  bound.unref();
  try {
    await app.close();
  } catch (error) {
    process.stderr.write(`contact-profiles API did not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  logger.log('stopped');
  process.exit(0);
}
