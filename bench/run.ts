import { formatReport, type BenchReport } from './bench-report.js';

/** Runs every benchmark of bench/ (or those named on the command line) and prints its figures. */
const BENCHMARKS: Record<string, () => Promise<{ default: () => Promise<BenchReport | BenchReport[]> }>> = {
  'event-store-append': () => import('./event-store-append.bench.js'),
  'projection-catch-up': () => import('./projection-catch-up.bench.js'),
  'search-latency': () => import('./search-latency.bench.js'),
  'http-api': () => import('./http-api.bench.js'),
};

const selected = process.argv.slice(2);
const names = selected.length ? selected : Object.keys(BENCHMARKS);
console.log(`contact-profiles benchmarks, ${new Date().toISOString()}, node ${process.version}\n`);
for (const name of names) {
  const load = BENCHMARKS[name];
  if (!load) throw new Error(`unknown benchmark ${name}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  const reports = await (await load()).default();
  for (const report of [reports].flat()) console.log(`${formatReport(report)}\n`);
}
