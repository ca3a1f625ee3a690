import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { startDedicatedFerretDb, type DedicatedFerretDb } from '../support/dedicated-ferretdb.js';

/** A process of the service, started from the built `dist/` as `npm start` / `npm run start:projector` start it. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Everything it wrote, for a failing test's message. */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** SIGKILL (kill -9): the process dies at once, whatever it was doing; resolves once it has exited. */
  kill(): Promise<void>;
  /** Resolves once the process has written `text` to stdout or stderr; fails if it exits first or after `timeoutMs`. */
  waitForOutput(text: string, timeoutMs: number): Promise<void>;
}

export function startService(entry: string, env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    output: () => output,
    async kill() {
      if (ended()) return;
      child.kill('SIGKILL');
      await exited;
    },
    async waitForOutput(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (ended() || Date.now() > deadline) {
          throw new Error(`the process ${ended() ? 'exited' : `did not say "${text}" within ${timeoutMs / 1000} s`}; its output:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async stop() {
      if (ended()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A free loopback port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls until `ready` answers true; fails after `timeoutMs` with what the process said. */
export async function waitUntil(what: string, ready: () => Promise<boolean>, timeoutMs: number, service?: ServiceProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return;
    if (service && service.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} within ${timeoutMs / 1000} s${service ? `; its output:\n${service.output()}` : ''}`);
}

/**
 * Builds `dist/` (as `npm start` does) once per test run: the suites that start the service from
 * it share one build (`npm test` runs every suite in one process).
 */
export function buildDistOnce(): void {
  const marker = `dist/.built-for-test-run-${process.pid}`;
  if (existsSync(marker)) return;
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  writeFileSync(marker, '');
}

/**
 * For a suite of processes on FerretDB: before it, dist/ built (once per test run) and a FerretDB
 * of its own on a free port; after it, that server stopped. Answers the server, there once the
 * suite's beforeAll has run.
 */
export function dedicatedFerretDbForSuite(): () => DedicatedFerretDb {
  let ferretDb: DedicatedFerretDb | undefined;
  beforeAll(async () => {
    buildDistOnce();
    ferretDb = startDedicatedFerretDb(await freePort());
  }, 180_000);
  afterAll(() => ferretDb?.stop());
  return () => {
    if (!ferretDb) throw new Error('the dedicated FerretDB is there once the suite has started');
    return ferretDb;
  };
}
