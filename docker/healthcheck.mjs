#!/usr/bin/env node
// The image's HEALTHCHECK: says whether the process this container runs is alive and can work.
//   api        GET /health on its own port answers 200
//   projector  its MongoDB answers a ping (a standby projector waiting for the lease is healthy too)
//   cli        one-off commands have nothing to check
// The role is the one PID 1 runs (docker/entrypoint.sh execs it), or the first argument.
import { readFileSync } from 'node:fs';

const TIMEOUT_MS = 3_000;

function roleOfPid1() {
  try {
    const command = readFileSync('/proc/1/cmdline', 'utf8');
    return ['api', 'projector', 'cli'].find((role) => command.includes(`/apps/${role}/main.js`));
  } catch {
    return undefined;
  }
}

async function apiIsHealthy() {
  const response = await fetch(`http://127.0.0.1:${process.env.PORT || 3000}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET /health answered ${response.status}`);
}

async function projectorIsHealthy() {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set');
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: TIMEOUT_MS, connectTimeoutMS: TIMEOUT_MS });
  try {
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close();
  }
}

const role = process.argv[2] ?? roleOfPid1();
const checks = { api: apiIsHealthy, projector: projectorIsHealthy, cli: async () => undefined };
try {
  if (!checks[role]) throw new Error(`unknown role ${String(role)}`);
  await checks[role]();
  process.exit(0);
} catch (error) {
  console.error(`unhealthy (${String(role)}): ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
