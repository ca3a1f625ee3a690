import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { startDedicatedFerretDb, type DedicatedFerretDb } from '../support/dedicated-ferretdb.js';

/** A process of the service, started from the built `dist/` as `npm start` / `npm run start:projector` start it. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  /** The last 20,000 characters it wrote, for a failing test's message. */
  output(): string;
  /** The last 200 lines it wrote that `keep` (startService) chose, however much it wrote after them. */
  kept(): string[];
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** SIGKILL (kill -9): the process dies at once, whatever it was doing; resolves once it has exited. */
  kill(): Promise<void>;
  /** Resolves once the process has written `text` to stdout or stderr; fails if it exits first or after `timeoutMs`. */
  waitForOutput(text: string, timeoutMs: number): Promise<void>;
  /**
   * For a failing test's message: whether the process still runs, and if it does, what its event
   * loop waits on (the JavaScript stack and the active libuv handles of a Node diagnostic report,
   * asked for with SIGUSR2); no report means the loop did not come round (busy or blocked).
   */
  diagnose(): Promise<string>;
}

const REPORT_WAIT_MS = 5_000;

export function startService(entry: string, env: Record<string, string>, { keep }: { keep?: (line: string) => boolean } = {}): ServiceProcess {
  const reports = mkdtempSync(join(tmpdir(), 'service-reports-'));
  const child = spawn(process.execPath, ['--report-on-signal', '--report-signal=SIGUSR2', `--report-directory=${reports}`, entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const kept: string[] = [];
  // Per stream: a line cut between two chunks of one stream is joined before `keep` sees it.
  const onOutputOf = (): ((chunk: Buffer) => void) => {
    let partialLine = '';
    return (chunk) => {
      const text = chunk.toString();
      output = (output + text).slice(-20_000);
      if (!keep) return;
      const lines = (partialLine + text).split('\n');
      partialLine = lines.pop()!;
      kept.push(...lines.filter(keep));
      kept.splice(0, kept.length - 200);
    };
  };
  child.stdout!.on('data', onOutputOf());
  child.stderr!.on('data', onOutputOf());
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => rmSync(reports, { recursive: true, force: true }));
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    output: () => output,
    kept: () => [...kept],
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
    async diagnose() {
      if (ended()) return `exited (code ${child.exitCode}, signal ${child.signalCode})`;
      child.kill('SIGUSR2');
      const deadline = Date.now() + REPORT_WAIT_MS;
      while (Date.now() < deadline) {
        const report = finishedReport(reports);
        if (report) {
          const handles = new Map<string, number>();
          for (const handle of report.libuv ?? []) if (handle.is_active) handles.set(handle.type, (handles.get(handle.type) ?? 0) + 1);
          return [
            `running; JavaScript stack: ${report.javascriptStack?.message ?? ''}`,
            ...(report.javascriptStack?.stack ?? []).slice(0, 15),
            `active libuv handles: ${JSON.stringify(Object.fromEntries(handles))}`,
          ].join('\n');
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return `running, but no diagnostic report within ${REPORT_WAIT_MS / 1000} s: its event loop did not come round (busy or blocked)`;
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

interface DiagnosticReport {
  javascriptStack?: { message?: string; stack?: string[] };
  libuv?: Array<{ type: string; is_active?: boolean }>;
}

/** The report in `directory`, once it is written in full. */
function finishedReport(directory: string): DiagnosticReport | undefined {
  const file = readdirSync(directory).find((name) => name.endsWith('.json'));
  if (!file) return undefined;
  try {
    return JSON.parse(readFileSync(join(directory, file), 'utf8')) as DiagnosticReport;
  } catch {
    return undefined;
  }
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
