import { loadConfig } from '../../libs/shared-kernel/config.js';
import { createApiApp } from './create-api-app.js';

const config = loadConfig();
const app = await createApiApp(config);
await app.listen({ port: config.port, host: '0.0.0.0' });
console.log(`contact-profiles API on http://localhost:${config.port} (docs at /docs, data in ${config.dataDir})`);
