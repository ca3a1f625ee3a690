import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { startFreezableProxy, type FreezableProxy } from '../support/freezable-proxy.js';
import { describeWithMongoDb } from '../../libs/document-store/testing/describe-with-mongodb.js';

/**
 * Issue 15: every store call is bounded. The read-model database stops answering (a frozen
 * loopback proxy in front of FerretDB): a read answers 503 with Retry-After in the one error
 * shape within 10 s, /health answers at once, /ready says which store is down; when the
 * database answers again, so does the API.
 */
describeWithMongoDb('a read-model database that stops answering', (uri) => {
  let proxy: FreezableProxy;
  let api: ApiHarness;
  const database = `e2e_stuck_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    const { hostname, port } = new URL(uri);
    proxy = await startFreezableProxy(hostname, Number(port));
    api = await startApi({ MONGODB_URI: `mongodb://127.0.0.1:${proxy.port}/${database}?directConnection=true` });
  });
  afterAll(async () => {
    await api.close();
    await proxy.close();
    const client = await MongoClient.connect(uri);
    await client.db(database).dropDatabase();
    await client.close();
  });

  const timed = async <T>(call: () => Promise<T>): Promise<[T, number]> => {
    const started = Date.now();
    const result = await call();
    return [result, Date.now() - started];
  };

  it('answers 503 with Retry-After, never hangs; /health at once; /ready names the store; recovers', async () => {
    const owner = await api.token('owner');
    const created = await api.request('POST', '/v1/channel-contacts', {
      token: await api.token('integration'),
      body: { channel: 'telegram', channelContactId: 'stuck-1', name: 'Stella Stuck' },
    });
    const path = `/v1/contacts/${created.body.contactId}`;
    expect((await api.request('GET', `${path}?minPosition=${created.body.position}`, { token: owner })).status).toBe(200);
    expect((await api.request('GET', '/ready')).body).toMatchObject({ status: 'ready' });

    proxy.freeze();
    try {
      await expectBoundedWhileFrozen(path, owner);
      // A new contact needs a new personal-data key, from the key store on the same server: bounded too.
      const write = await api.request('POST', '/v1/channel-contacts', {
        token: await api.token('integration'),
        body: { channel: 'telegram', channelContactId: 'stuck-2', name: 'Stan Stuck' },
      });
      expect(write.status).toBe(503);
      expect(write.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      proxy.thaw();
    }
    let again = await api.request('GET', path, { token: owner });
    for (const deadline = Date.now() + 20_000; again.status !== 200 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      again = await api.request('GET', path, { token: owner });
    }
    expect(again.status).toBe(200);
  }, 60_000);

  async function expectBoundedWhileFrozen(path: string, owner: string): Promise<void> {
    const [read, readMs] = await timed(() => api.request('GET', path, { token: owner }));
    expect(read.status).toBe(503);
    expect(read.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(read.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', message: expect.stringContaining('did not answer in time') });
    expect(readMs).toBeLessThan(10_000);

    const [health, healthMs] = await timed(() => api.request('GET', '/health'));
    expect(health.status).toBe(200);
    expect(healthMs).toBeLessThan(1_000);

    const [ready, readyMs] = await timed(() => api.request('GET', '/ready'));
    expect(ready.status).toBe(503);
    expect(ready.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'documentStore' })]));
    expect(readyMs).toBeLessThan(5_000);
  }
});
