/** What every benchmark returns: figures, each as a ratio to a baseline measured in the same run. */
export interface BenchReport {
  name: string;
  baselineLabel: string;
  unit: string;
  rows: Array<{ label: string; value: number; ratio: number }>;
}

export function formatReport(report: BenchReport): string {
  const width = Math.max(...report.rows.map((row) => row.label.length));
  const lines = report.rows.map(
    (row) => `  ${row.label.padEnd(width)}  ${Math.round(row.value).toLocaleString('en-US').padStart(12)} ${report.unit}  ×${row.ratio.toFixed(2)}`,
  );
  return [`${report.name} (baseline: ${report.baselineLabel})`, ...lines].join('\n');
}
