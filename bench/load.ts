import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LoadResult, LoadSpec } from './load-generator.js';

const LOAD_GENERATOR = fileURLToPath(new URL('./load-generator.js', import.meta.url));

/** Runs autocannon in a child process against `spec.url`; the server keeps this process to itself. */
export async function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'load-spec-'));
  try {
    const file = join(dir, 'spec.json');
    writeFileSync(file, JSON.stringify(spec));
    const { stdout } = await promisify(execFile)(process.execPath, [LOAD_GENERATOR, file], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as LoadResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
