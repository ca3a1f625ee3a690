import { execFileSync, spawn } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';

/**
 * A FerretDB server of a test's own (test/support/ferretdb.sh on a free port): what another
 * suite did to the shared server (databases dropped, cursors left open) cannot stall it, and
 * its goroutines can be dumped when it stalls.
 */
export interface DedicatedFerretDb {
  readonly uri: string;
  /** The SQLite file in which FerretDB keeps a database (its SQLite backend). */
  databaseFile(database: string): string;
  /** Dumps FerretDB's goroutines (SIGQUIT ends the server) and answers a summary of where they wait. */
  goroutineSummary(): string;
  /** SIGSTOP: the server keeps its connections open and answers nothing (a hung server). */
  freeze(): void;
  /** SIGCONT after `freeze`. */
  thaw(): void;
  /** SIGKILL, keeping its data: connections are refused until `restart`. */
  crash(): void;
  /** Starts the crashed server again, on the same port and data, as ferretdb.sh started it. */
  restart(): Promise<void>;
  stop(): void;
}

const SCRIPT = 'test/support/ferretdb.sh';

export function startDedicatedFerretDb(port: number): DedicatedFerretDb {
  const uri = execFileSync('bash', [SCRIPT, 'start', String(port)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const runDir = join(process.env.TMPDIR ?? tmpdir(), `contact-profiles-ferretdb-${port}`);
  const pidFile = join(runDir, 'ferretdb.pid');
  const pid = () => Number(readFileSync(pidFile, 'utf8'));
  let commandLine: string[] = [];
  return {
    uri,
    databaseFile: (database) => join(runDir, 'data', `${database}.sqlite`),
    freeze: () => process.kill(pid(), 'SIGSTOP'),
    thaw: () => process.kill(pid(), 'SIGCONT'),
    crash() {
      commandLine = readFileSync(`/proc/${pid()}/cmdline`, 'utf8').split('\0').filter((arg) => arg !== '');
      process.kill(pid(), 'SIGKILL');
    },
    async restart() {
      const [binary, ...args] = commandLine;
      const log = openSync(join(runDir, 'ferretdb.log'), 'a');
      const child = spawn(binary!, args, { detached: true, stdio: ['ignore', log, log] });
      child.unref();
      writeFileSync(pidFile, String(child.pid));
      const deadline = Date.now() + 30_000;
      while (!(await answers(port))) {
        if (Date.now() > deadline) throw new Error(`FerretDB did not answer on port ${port} within 30 s after its restart`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    goroutineSummary() {
      process.kill(pid(), 'SIGQUIT');
      execFileSync('sleep', ['1']);
      return summarizeGoroutines(readFileSync(join(runDir, 'ferretdb.log'), 'utf8'));
    },
    stop() {
      // A frozen server would take the stop signal only once continued.
      try {
        process.kill(pid(), 'SIGCONT');
      } catch {
        // not running
      }
      execFileSync('bash', [SCRIPT, 'stop', String(port)], { stdio: 'ignore' });
    },
  };
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Where FerretDB's goroutines wait (their state and first frames outside the Go runtime), with counts. */
function summarizeGoroutines(log: string): string {
  const counts = new Map<string, number>();
  for (const goroutine of log.split(/\n(?=goroutine \d+ )/).filter((block) => block.startsWith('goroutine '))) {
    const state = /\[([^\]]*)\]/.exec(goroutine.slice(0, goroutine.indexOf('\n')))?.[1] ?? '?';
    const frames = goroutine
      .split('\n')
      .filter((line) => /^[\w.\/*()!-]+\(/.test(line) && !line.startsWith('runtime.'))
      .map((frame) => frame.slice(0, frame.lastIndexOf('(')));
    const key = `[${state}] ${frames.slice(0, 4).join(' <- ')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([key, count]) => `${count}× ${key}`).join('\n');
}
