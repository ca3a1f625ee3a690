declare module 'parse-prometheus-text-format' {
  /** Metric families as the library parses them: samples' values stay strings. */
  export default function parsePrometheusTextFormat(text: string): Array<{
    name: string;
    help: string;
    type: string;
    metrics: Array<{ labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string; sum?: string }>;
  }>;
}
