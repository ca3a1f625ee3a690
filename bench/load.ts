import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LoadResult, LoadSpec } from './load-generator.js';

const LOAD_GENERATOR = fileURLToPath(new URL('./load-generator.js', import.meta.url));

/** Runs autocannon in a child process against `spec.url`; the server keeps this process to itself. */
export function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  return runInOwnProcess<LoadResult>(LOAD_GENERATOR, spec);
}

/** Runs a client script (`node <script> <spec.json>`) in a child process and parses the JSON it prints. */
export async function runInOwnProcess<T>(script: string, spec: unknown): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'load-spec-'));
  try {
    const file = join(dir, 'spec.json');
    writeFileSync(file, JSON.stringify(spec));
    const { stdout } = await promisify(execFile)(process.execPath, [script, file], { maxBuffer: 1 << 24 });
    return JSON.parse(stdout) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
