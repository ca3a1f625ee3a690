import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EventStore } from '../event-store/event-store.port.js';
import { aroundAppends } from '../event-store/around-appends.js';

/** What the metrics read from the rest of the process when Prometheus scrapes. */
export interface MetricsSources {
  /** The log head and each projection's checkpoint, from the last background check (none yet: undefined). */
  projectionPositions(): { head: number; checkpoints: Record<string, number> } | undefined;
  /** Events per second each projection applied, from its last progress report. */
  projectionRates(): Record<string, number>;
  /** SSE streams open right now. */
  openSseStreams(): number;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The Prometheus metrics of one API process, in a registry of its own (two apps in one test
 * process never share counters). Gauges are read at scrape time, never pushed.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly commands = new Counter({
    name: 'contact_profiles_commands_total',
    help: 'Commands (write requests) by type (method and route) and outcome (accepted 2xx, refused 4xx, failed 5xx)',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly commandSeconds = new Histogram({
    name: 'contact_profiles_command_duration_seconds',
    help: 'Latency of commands by type and outcome (as contact_profiles_commands_total)',
    labelNames: ['command', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly appendSeconds = new Histogram({
    name: 'contact_profiles_event_append_duration_seconds',
    help: 'Latency of appends to the event log (refused ones, such as version conflicts, included)',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'contact_profiles_rate_limited_requests_total',
    help: 'Requests refused with 429 by the per-token rate limit',
    registers: [this.registry],
  });

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'contact_profiles_' });
    new Gauge({
      name: 'contact_profiles_projection_lag_events',
      help: 'Log positions between the head and each projection checkpoint, at the last background check',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const positions = sources.projectionPositions();
        if (!positions) return;
        for (const [projection, checkpoint] of Object.entries(positions.checkpoints)) this.set({ projection }, Math.max(0, positions.head - checkpoint));
      },
    });
    new Gauge({
      name: 'contact_profiles_projection_events_per_second',
      help: 'Events per second each projection applied since it started (the projections of this process only)',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [projection, rate] of Object.entries(sources.projectionRates())) this.set({ projection }, rate);
      },
    });
    new Gauge({
      name: 'contact_profiles_sse_clients',
      help: 'Server-sent-event streams open right now',
      registers: [this.registry],
      collect() {
        this.set(sources.openSseStreams());
      },
    });
  }

  /** The outcome label of a status code. */
  static outcomeOf(statusCode: number): 'accepted' | 'refused' | 'failed' {
    return statusCode < 400 ? 'accepted' : statusCode < 500 ? 'refused' : 'failed';
  }
}

/** The event store with its appends timed; everything else passes through untouched. */
export function withTimedAppends(store: EventStore, metrics: ApiMetrics): EventStore {
  return aroundAppends(store, async (append) => {
    const stop = metrics.appendSeconds.startTimer();
    try {
      return await append();
    } finally {
      stop();
    }
  });
}
