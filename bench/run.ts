import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { formatMarkdown, formatReport, type BenchReport } from './bench-report.js';

/**
 * Runs every benchmark of bench/ (or those named on the command line) and prints its figures;
 * a run of all of them also writes bench/results.md.
 */
const BENCHMARKS: Record<string, () => Promise<{ default: () => Promise<BenchReport | BenchReport[]> }>> = {
  'event-store-append': () => import('./event-store-append.bench.js'),
  'projection-catch-up': () => import('./projection-catch-up.bench.js'),
  'search-latency': () => import('./search-latency.bench.js'),
  'http-api': () => import('./http-api.bench.js'),
  restart: () => import('./restart.bench.js'),
  'live-lag': () => import('./live-lag.bench.js'),
  'filtered-read': () => import('./filtered-read.bench.js'),
  'merge-suggestions': () => import('./merge-suggestions.bench.js'),
  'personal-data': () => import('./personal-data.bench.js'),
  'event-stream': () => import('./event-stream.bench.js'),
  'sse-fan-out': () => import('./sse-fan-out.bench.js'),
  'response-serialization': () => import('./response-serialization.bench.js'),
  'as-of': () => import('./as-of.bench.js'),
};

const RESULTS = fileURLToPath(new URL('../../bench/results.md', import.meta.url));

const selected = process.argv.slice(2);
const names = selected.length ? selected : Object.keys(BENCHMARKS);
const started = new Date();
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${process.platform}`;
console.log(`contact-profiles benchmarks, ${started.toISOString()}, ${machine}\n`);
const all: BenchReport[] = [];
for (const name of names) {
  const load = BENCHMARKS[name];
  if (!load) throw new Error(`unknown benchmark ${name}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  const reports = [await (await load()).default()].flat();
  for (const report of reports) console.log(`${formatReport(report)}\n`);
  all.push(...reports);
}
const minutes = (Date.now() - started.getTime()) / 60_000;
if (selected.length === 0) {
  const header = [
    '# Benchmark results',
    '',
    `${started.toISOString()} — ${machine}. All benchmarks in ${minutes.toFixed(1)} min (\`npm run bench\`).`,
    'Each figure is a ratio to a baseline measured in the same run on the same machine; the',
    'machine is shared, so absolute figures are noisy and the ratios are what to compare.',
    '',
  ];
  writeFileSync(RESULTS, [...header, ...all.map(formatMarkdown)].join('\n'));
  console.log(`wrote ${RESULTS}`);
}
