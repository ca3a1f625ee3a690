import { startApi, type ApiHarness } from '../support/api-harness.js';
import { startApiProcess } from '../support/api-process.js';
import { mintToken } from '../../libs/auth/tokens.js';
import { TEST_SECRET } from '../support/api-harness.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('correlation ids: in from X-Correlation-Id, echoed out, into the events metadata', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  async function eventsOf(contactId: string): Promise<Array<{ streamId: string; metadata: { correlationId: string } }>> {
    const owner = await api.token('owner');
    const response = await api.fetch(`${api.baseUrl}/v1/events?from=0`, { headers: { authorization: `Bearer ${owner}` } });
    return (await response.text()).trim().split('\n').map((line) => JSON.parse(line)).filter((event) => event.streamId.includes(contactId));
  }

  it("keeps the caller's id, echoes it and records it on every event the request wrote", async () => {
    const integration = await api.token('integration');
    const response = await api.request('POST', '/v1/channel-contacts', {
      token: integration,
      body: { channel: 'whatsapp', channelContactId: '+15550002222', name: 'bo' },
      headers: { 'x-correlation-id': 'inbox-req-42' },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-correlation-id')).toBe('inbox-req-42');
    const events = await eventsOf(response.body.contactId);
    expect(events.length).toBeGreaterThan(0);
    expect(events.map((event) => event.metadata.correlationId)).toEqual(events.map(() => 'inbox-req-42'));
  });

  it('makes a new id when none or an unusable one is sent, and echoes it on errors too', async () => {
    const integration = await api.token('integration');
    const response = await api.request('POST', '/v1/channel-contacts', {
      token: integration,
      body: { channel: 'whatsapp', channelContactId: '+15550003333', name: 'cy' },
      headers: { 'x-correlation-id': 'x'.repeat(129) },
    });
    const id = response.headers.get('x-correlation-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await eventsOf(response.body.contactId))[0]!.metadata.correlationId).toBe(id);

    const refused = await api.request('GET', '/v1/contacts/nope', { headers: { 'x-correlation-id': 'err-1' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-correlation-id')).toBe('err-1');
  });
});

describe('structured request logs (the API process)', () => {
  it('writes only JSON lines, one per request received and completed, labelled with the correlation id', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'contact-profiles-logs-'));
    const api = await startApiProcess({ DATA_DIR: dataDir });
    try {
      const token = await mintToken({ sub: 'int-1', workspace: 'acme', role: 'integration' }, TEST_SECRET);
      const response = await fetch(`${api.baseUrl}/v1/channel-contacts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-correlation-id': 'log-me-7' },
        body: JSON.stringify({ channel: 'sms', channelContactId: '+15550004444' }),
      });
      expect(response.status).toBe(201);
    } finally {
      await api.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
    const lines = api.stdout().trim().split('\n');
    const records = lines.map((line) => JSON.parse(line) as Record<string, any>);
    const mine = records.filter((record) => record.correlationId === 'log-me-7');
    expect(mine.map((record) => record.msg)).toEqual(['incoming request', 'request completed']);
    expect(mine[0]).toMatchObject({ level: 30, req: { method: 'POST', url: '/v1/channel-contacts' } });
    expect(mine[1]).toMatchObject({ res: { statusCode: 201 }, responseTime: expect.any(Number) });
    expect(JSON.stringify(mine)).not.toContain('Bearer');
  }, 90_000);
});
