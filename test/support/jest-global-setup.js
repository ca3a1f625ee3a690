import { execFileSync } from 'node:child_process';

export const FERRETDB_TEST_PORT = '27027';

/**
 * The MongoDB suites need a MongoDB-protocol server. When MONGODB_URI is not given, start the
 * project's FerretDB (building it once if needed) so that `npm test` alone runs every suite.
 * Test workers start after this and inherit the variable.
 */
export default function globalSetup() {
  if (process.env.MONGODB_URI) return;
  const uri = execFileSync('bash', ['test/support/ferretdb.sh', 'start', FERRETDB_TEST_PORT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  process.env.MONGODB_URI = uri;
  process.env.FERRETDB_STARTED_BY_JEST = FERRETDB_TEST_PORT;
}
