import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { SseClient } from '../support/sse-client.js';

type Family = ReturnType<typeof parsePrometheusTextFormat>[number];

describe('GET /metrics (Prometheus text format)', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  async function scrape(): Promise<Map<string, Family>> {
    const response = await fetch(`${api.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(await response.text()) as Family[];
    return new Map(families.map((family) => [family.name, family]));
  }

  it('counts commands by type and outcome with latency histograms, and times appends', async () => {
    const integration = await api.token('integration');
    const created = await api.request('POST', '/v1/channel-contacts', { token: integration, body: { channel: 'whatsapp', channelContactId: '+15550001111', name: 'ann' } });
    expect(created.status).toBe(201);
    const refused = await api.request('POST', '/v1/channel-contacts', { token: integration, body: { channel: 'pigeon', channelContactId: 'x' } });
    expect(refused.status).toBe(400);

    const families = await scrape();
    const commands = families.get('contact_profiles_commands_total')!;
    expect(commands.type).toBe('COUNTER');
    const byOutcome = (outcome: string) => commands.metrics.find((m) => m.labels?.command === 'POST /v1/channel-contacts' && m.labels?.outcome === outcome);
    expect(byOutcome('accepted')?.value).toBe('1');
    expect(byOutcome('refused')?.value).toBe('1');
    // The parser folds the series of a histogram into one (labels dropped): the buckets still show both commands.
    const latency = families.get('contact_profiles_command_duration_seconds')!;
    expect(latency.type).toBe('HISTOGRAM');
    expect(latency.metrics.some((m) => m.buckets?.['+Inf'] !== undefined)).toBe(true);

    const appends = families.get('contact_profiles_event_append_duration_seconds')!;
    expect(appends.type).toBe('HISTOGRAM');
    expect(Number(appends.metrics[0]?.count)).toBeGreaterThanOrEqual(1);
  });

  it('reports projection lag and events per second by projection, and open SSE clients', async () => {
    // The background check runs about every second; the projections report progress at most once a second.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const owner = await api.token('owner');
    const stream = await SseClient.open(`${api.baseUrl}/v1/events?follow=true`, { authorization: `Bearer ${owner}` });
    expect(stream.status).toBe(200);
    try {
      const families = await scrape();
      const lag = families.get('contact_profiles_projection_lag_events')!;
      expect(lag.type).toBe('GAUGE');
      expect(lag.metrics.map((m) => m.labels?.projection)).toContain('contact-views');
      for (const metric of lag.metrics) expect(Number(metric.value)).toBeGreaterThanOrEqual(0);
      const rates = families.get('contact_profiles_projection_events_per_second')!;
      expect(rates.metrics.map((m) => m.labels?.projection)).toContain('contact-views');
      expect(families.get('contact_profiles_sse_clients')!.metrics[0]!.value).toBe('1');
    } finally {
      await stream.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await scrape()).get('contact_profiles_sse_clients')!.metrics[0]!.value).toBe('0');
  });

  it('needs no token and includes the Node process metrics', async () => {
    const families = await scrape();
    expect(families.get('contact_profiles_process_resident_memory_bytes')?.type).toBe('GAUGE');
  });
});
