import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TEST_SECRET } from './api-harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The API in a process of its own (`node apps/api/main.ts` through SWC), for tests of several instances or of the server's own memory. */
export interface ApiProcess {
  baseUrl: string;
  pid: number;
  /** The process's resident set size in bytes, read from /proc. */
  rss(): number;
  /** Everything the process wrote to stdout so far. */
  stdout(): string;
  /** Everything it wrote to stdout and stderr so far, interleaved. */
  output(): string;
  stop(): Promise<void>;
  /** Sends the signal (the process handles SIGTERM and SIGINT by a graceful shutdown). */
  signal(signal: NodeJS.Signals): void;
  /** How the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', './test/support/register-ts.mjs', 'apps/api/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, MONGODB_URI: '', EVENTSTORE_CONNECTION_STRING: '', AUTH_JWT_SECRET: TEST_SECRET, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  let output = '';
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('contact-profiles API on')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API process did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stdout: () => stdout,
    output: () => output,
    signal: (signal) => child.kill(signal),
    exited,
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readStatus(child.pid!))?.[1] ?? 0) * 1024,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function readStatus(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return '';
  }
}


async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}
