import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { rebuildCommand } from '../../apps/cli/rebuild.command.js';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store.js';
import { openDocumentStore } from '../../libs/document-store/open-document-store.js';
import { CHECKPOINTS_COLLECTION } from '../../libs/projections/checkpoints.js';
import { loadConfig } from '../../libs/config/config.js';
import { startApi, TEST_SECRET, type ApiHarness } from '../support/api-harness.js';

/**
 * Issue 14: read models that belong to another log are never served. On both stacks: the
 * embedded one (read models in DATA_DIR/read-models.sqlite) and a MongoDB-protocol server
 * (FerretDB), whose database is named by the path of MONGODB_URI.
 */
interface Stack {
  name: string;
  /** The environment of one deployment's read models. */
  env(): Record<string, string>;
  /** Puts the read models of `from` where a deployment in `to` finds them (a restored backup, a shared database). */
  carryReadModels(from: string, to: string): void;
  drop(env: Record<string, string>): Promise<void>;
}

const mongoBase = (): string => {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: start FerretDB (npm test does) to run the MongoDB stack');
  return uri.endsWith('/') ? uri : `${uri}/`;
};

const stacks: Stack[] = [
  {
    name: 'embedded (SQLite log + SQLite read models)',
    env: () => ({}),
    carryReadModels: (from, to) => copyFileSync(join(from, 'read-models.sqlite'), join(to, 'read-models.sqlite')),
    drop: async () => undefined,
  },
  {
    name: 'SQLite log + FerretDB read models (database from MONGODB_URI)',
    env: () => ({ MONGODB_URI: `${mongoBase()}e2e_logs_${randomUUID().slice(0, 8)}` }),
    carryReadModels: () => undefined,
    drop: async (env) => {
      const client = await MongoClient.connect(env.MONGODB_URI!);
      await client.db().dropDatabase();
      await client.close();
    },
  },
];

const dirs: string[] = [];
const newDataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'contact-profiles-logs-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function logIdIn(dataDir: string): Promise<string> {
  const log = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
  try {
    return await log.logId();
  } finally {
    await log.close();
  }
}

/** `npm run cli -- rebuild all`, as the refusal says, in this process. */
async function rebuildAll(dataDir: string, env: Record<string, string>): Promise<void> {
  await rebuildCommand(['all'], { DATA_DIR: dataDir, AUTH_JWT_SECRET: TEST_SECRET, ...env });
}

describe.each(stacks)('read models of another log, on $name', (stack) => {
  let env: Record<string, string>;
  const running: ApiHarness[] = [];
  const start = async (dataDir: string): Promise<ApiHarness> => {
    const api = await startApi(env, dataDir);
    running.push(api);
    return api;
  };
  const stop = async (api: ApiHarness): Promise<void> => {
    running.splice(running.indexOf(api), 1);
    await api.close();
  };

  beforeEach(() => {
    env = stack.env();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((api) => api.close()));
    await stack.drop(env);
  });

  async function report(api: ApiHarness, channelContactId: string, name: string): Promise<{ id: string; position: number }> {
    const response = await api.request('POST', '/v1/channel-contacts', {
      token: await api.token('integration'),
      body: { channel: 'telegram', channelContactId, name },
    });
    expect(response.status).toBe(201);
    return { id: response.body.contactId, position: response.body.position };
  }

  const read = async (api: ApiHarness, path: string) => api.request('GET', path, { token: await api.token('owner') });

  it('refuses to start on read models built from another log, naming both logs and the fix; after the rebuild it reads the new log', async () => {
    const firstDir = newDataDir();
    const first = await start(firstDir);
    const old = await report(first, 'old-1', 'Olga Oldlog');
    expect((await read(first, `/v1/contacts/${old.id}?minPosition=${old.position}`)).status).toBe(200);
    const firstLog = (await first.request('GET', '/health')).body.logId;
    expect(firstLog).toBe(await logIdIn(firstDir));
    await stop(first);

    const secondDir = newDataDir();
    stack.carryReadModels(firstDir, secondDir);
    // The new log gets its id as the API opens it; read it from the file the refused start created.
    const refused = await startApi(env, secondDir).then(
      () => new Error('the API started on read models of another log'),
      (error: unknown) => error as Error,
    );
    const secondLog = await logIdIn(secondDir);
    expect(secondLog).not.toBe(firstLog);
    expect(refused.message).toContain(`Refusing to serve the read models`);
    expect(refused.message).toContain(secondLog);
    expect(refused.message).toContain(`built from another log, log id ${firstLog}`);
    expect(refused.message).toContain('npm run cli -- rebuild all');

    await rebuildAll(secondDir, env);
    const second = await start(secondDir);
    const fresh = await report(second, 'new-1', 'Nina Newlog');
    const view = await read(second, `/v1/contacts/${fresh.id}?minPosition=${fresh.position}`);
    expect(view.status).toBe(200);
    expect(view.body.fields.name.value).toBe('Nina Newlog');
    expect((await read(second, `/v1/contacts/${old.id}`)).status).toBe(404);
    expect((await read(second, '/v1/contacts?q=olga')).body.items).toEqual([]);
    expect((await read(second, '/v1/contacts?q=nina')).body.items.map((item: { id: string }) => item.id)).toEqual([fresh.id]);
    expect((await read(second, `/v1/contacts/${fresh.id}/history`)).body.map((entry: { to: unknown }) => entry.to)).toContain('Nina Newlog');
    expect((await second.request('GET', '/health')).body).toMatchObject({ logId: secondLog, readModels: { status: 'ok' } });
  });

  it('refuses to start when the checkpoints are beyond the log head (a log restored from an older backup); after the rebuild it reads the restored log', async () => {
    const dir = newDataDir();
    const api = await start(dir);
    const kept = await report(api, 'kept-1', 'Kara Kept');
    await stop(api);
    const backup = join(newDataDir(), 'events.sqlite');
    copyFileSync(join(dir, 'events.sqlite'), backup);

    const restarted = await start(dir);
    const lost = await report(restarted, 'lost-1', 'Lena Lost');
    await read(restarted, `/v1/contacts/${lost.id}?minPosition=${lost.position}`);
    await stop(restarted);
    copyFileSync(backup, join(dir, 'events.sqlite'));

    const refused = await startApi(env, dir).then(
      () => new Error('the API started on read models ahead of its log'),
      (error: unknown) => error as Error,
    );
    expect(refused.message).toContain(`is beyond this log's head ${kept.position}`);
    expect(refused.message).toContain(await logIdIn(dir));
    expect(refused.message).toContain('npm run cli -- rebuild all');

    await rebuildAll(dir, env);
    const rebuilt = await start(dir);
    expect((await read(rebuilt, `/v1/contacts/${kept.id}`)).status).toBe(200);
    expect((await read(rebuilt, `/v1/contacts/${lost.id}`)).status).toBe(404);
    expect((await read(rebuilt, '/v1/contacts?q=lena')).body.items).toEqual([]);
    const health = (await rebuilt.request('GET', '/health')).body;
    expect(health.logHead).toBe(kept.position);
    expect(new Set(Object.values(health.projections))).toEqual(new Set([kept.position]));
  });

  it('stops serving reads, 503 with Retry-After, when the read models are swapped for another log under a running API', async () => {
    const dir = newDataDir();
    const api = await start(dir);
    const contact = await report(api, 'swap-1', 'Sam Swapped');
    expect((await read(api, `/v1/contacts/${contact.id}?minPosition=${contact.position}`)).status).toBe(200);

    // What a backup of another environment restored into the read-model database looks like.
    const documents = await openDocumentStore(loadConfig({ DATA_DIR: dir, ...env }));
    const otherLog = randomUUID();
    await documents.collection(CHECKPOINTS_COLLECTION).updateMany({}, { $set: { logId: otherLog } });
    await documents.close();

    let response = await read(api, `/v1/contacts/${contact.id}`);
    for (const deadline = Date.now() + 5_000; response.status === 200 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await read(api, `/v1/contacts/${contact.id}`);
    }
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(response.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', message: expect.stringContaining(otherLog) });
    expect(response.body.message).toContain('npm run cli -- rebuild all');
    expect((await read(api, '/v1/contacts?q=sam')).status).toBe(503);
    expect((await api.request('GET', '/health')).body).toMatchObject({ status: 'ok', readModels: { status: 'refused' } });
  });
});

describe('the read-model database named by MONGODB_URI', () => {
  const databases: string[] = [];
  const apis: ApiHarness[] = [];
  afterAll(async () => {
    await Promise.all(apis.map((api) => api.close()));
    const client = await MongoClient.connect(mongoBase());
    for (const name of databases) await client.db(name).dropDatabase();
    await client.close();
  });

  const database = (): string => {
    const name = `e2e_tenant_${randomUUID().slice(0, 8)}`;
    databases.push(name);
    return name;
  };

  async function collectionsOf(name: string): Promise<string[]> {
    const client = await MongoClient.connect(mongoBase());
    try {
      return (await client.db(name).listCollections({}, { nameOnly: true }).toArray()).map((collection) => collection.name);
    } finally {
      await client.close();
    }
  }

  it('keeps two deployments with different URI databases apart; MONGODB_DATABASE overrides the URI', async () => {
    const [tenantA, tenantB, override, ignored] = [database(), database(), database(), database()];
    const a = await startApi({ MONGODB_URI: `${mongoBase()}${tenantA}` });
    const b = await startApi({ MONGODB_URI: `${mongoBase()}${tenantB}?serverSelectionTimeoutMS=5000` });
    const c = await startApi({ MONGODB_URI: `${mongoBase()}${ignored}`, MONGODB_DATABASE: override });
    apis.push(a, b, c);

    const ids: string[] = [];
    for (const [api, name] of [[a, 'Alma Tenant'], [b, 'Bert Tenant'], [c, 'Cleo Tenant']] as const) {
      const token = await api.token('integration');
      const created = await api.request('POST', '/v1/channel-contacts', { token, body: { channel: 'sms', channelContactId: name, name } });
      expect(created.status).toBe(201);
      ids.push(created.body.contactId);
      const view = await api.request('GET', `/v1/contacts/${created.body.contactId}?minPosition=${created.body.position}`, {
        token: await api.token('owner'),
      });
      expect(view.status).toBe(200);
    }

    const owner = await a.token('owner');
    expect((await a.request('GET', '/v1/contacts?q=tenant', { token: owner })).body.items.map((item: { id: string }) => item.id)).toEqual([ids[0]]);
    expect((await b.request('GET', '/v1/contacts?q=tenant', { token: owner })).body.items.map((item: { id: string }) => item.id)).toEqual([ids[1]]);
    expect(await collectionsOf(tenantA)).toEqual(expect.arrayContaining(['contact_views', 'projection_checkpoints']));
    expect(await collectionsOf(tenantB)).toEqual(expect.arrayContaining(['contact_views', 'projection_checkpoints']));
    expect(await collectionsOf(override)).toEqual(expect.arrayContaining(['contact_views']));
    expect(await collectionsOf(ignored)).toEqual([]);
  });
});
