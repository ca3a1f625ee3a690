import { execFileSync } from 'node:child_process';

export default function globalTeardown() {
  const port = process.env.FERRETDB_STARTED_BY_JEST;
  if (port) execFileSync('bash', ['test/support/ferretdb.sh', 'stop', port], { stdio: 'inherit' });
}
