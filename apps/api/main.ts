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
new Logger('api').log(`contact-profiles API on http://localhost:${config.port} (docs at /docs, data in ${config.dataDir})`);
