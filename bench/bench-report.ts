/**
 * What every benchmark returns (one or several, one per baseline): figures, each as a ratio to
 * a baseline measured in the same run.
 */
export interface BenchReport {
  name: string;
  baselineLabel: string;
  unit: string;
  rows: Array<{ label: string; value: number; ratio: number }>;
}

export function formatReport(report: BenchReport): string {
  const width = Math.max(...report.rows.map((row) => row.label.length));
  const lines = report.rows.map(
    (row) => `  ${row.label.padEnd(width)}  ${formatValue(row.value).padStart(12)} ${report.unit}  ×${row.ratio.toFixed(2)}`,
  );
  return [`${report.name} (baseline: ${report.baselineLabel})`, ...lines].join('\n');
}

/** Whole numbers from 100 up; three significant digits below, where sub-millisecond latencies live. */
export function formatValue(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);
}

/** The report as a markdown table, for bench/results.md. */
export function formatMarkdown(report: BenchReport): string {
  const rows = report.rows.map((row) => `| ${row.label} | ${formatValue(row.value)} ${report.unit} | ×${row.ratio.toFixed(2)} |`);
  return [`## ${report.name}`, '', `Baseline: ${report.baselineLabel}.`, '', '| measured | figure | ratio |', '| --- | --- | --- |', ...rows, ''].join('\n');
}

/** The nearest-rank percentile `p` (0 to 100) of `values`, which are left in their order. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}
