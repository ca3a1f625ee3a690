import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A FerretDB server of a test's own (test/support/ferretdb.sh on a free port): what another
 * suite did to the shared server (databases dropped, cursors left open) cannot stall it, and
 * its goroutines can be dumped when it stalls.
 */
export interface DedicatedFerretDb {
  readonly uri: string;
  /** Dumps FerretDB's goroutines (SIGQUIT ends the server) and answers a summary of where they wait. */
  goroutineSummary(): string;
  stop(): void;
}

const SCRIPT = 'test/support/ferretdb.sh';

export function startDedicatedFerretDb(port: number): DedicatedFerretDb {
  const uri = execFileSync('bash', [SCRIPT, 'start', String(port)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const runDir = join(process.env.TMPDIR ?? tmpdir(), `contact-profiles-ferretdb-${port}`);
  return {
    uri,
    goroutineSummary() {
      const pid = Number(readFileSync(join(runDir, 'ferretdb.pid'), 'utf8'));
      process.kill(pid, 'SIGQUIT');
      execFileSync('sleep', ['1']);
      return summarizeGoroutines(readFileSync(join(runDir, 'ferretdb.log'), 'utf8'));
    },
    stop() {
      execFileSync('bash', [SCRIPT, 'stop', String(port)], { stdio: 'ignore' });
    },
  };
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
