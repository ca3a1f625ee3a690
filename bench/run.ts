import { formatReport, type BenchReport } from './bench-report.js';

/** Runs every benchmark of bench/ (or those named on the command line) and prints its figures. */
const BENCHMARKS: Record<string, () => Promise<{ default: () => Promise<BenchReport> }>> = {
  'event-store-append': () => import('./event-store-append.bench.js'),
};

const selected = process.argv.slice(2);
const names = selected.length ? selected : Object.keys(BENCHMARKS);
console.log(`contact-profiles benchmarks, ${new Date().toISOString()}, node ${process.version}\n`);
for (const name of names) {
  const load = BENCHMARKS[name];
  if (!load) throw new Error(`unknown benchmark ${name}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  const report = await (await load()).default();
  console.log(`${formatReport(report)}\n`);
}
