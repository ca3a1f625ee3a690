import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { mintToken } from '../../libs/auth/tokens.js';
import { describeWithMongoDb } from '../../libs/document-store/testing/describe-with-mongodb.js';
import { runLoad, type LoadFigures } from './load-generator.js';
import { dedicatedFerretDbForSuite, freePort, startService, waitUntil, type ServiceProcess } from './processes.js';
import { caughtUpSince, type HealthAnswer } from '../support/caught-up.js';

/**
 * Issue 15: the MongoDB stack (SQLite log + FerretDB read models) under concurrent agents for
 * 20 s, with the projections in the API only, and with a second projector process on the same
 * database (RUN_PROJECTIONS left at its default, the easy misconfiguration). Loopback only,
 * bounded: no request may take over 10 s, no 5xx but 503, and after the burst the read models
 * catch up and equal the log. Figures go to stdout (and LOAD_FIGURES_FILE when set).
 *
 * It runs on a FerretDB server of its own, started like the one at MONGODB_URI: on the shared
 * one it stalled about one run in three of the whole suite (never alone), all operations timing
 * out from a few seconds into the burst; FerretDB's dropDatabase closes the database's pool while
 * holding its registry lock (waiting for that database's queries in flight), so another suite's
 * teardown may hold up every database: the likeliest cause, not proven. When the
 * stack does not catch up, the failure shows where FerretDB's goroutines wait.
 */
const SECRET = 'load-test-secret-that-is-long-enough-for-hs256';
const CONTACTS = 30;
const CLIENTS = 12;
const SECONDS = 20;
const REQUEST_TIMEOUT_MS = 10_000;
const CATCH_UP_LIMIT_MS = 60_000;

const TEST_TIMEOUT_MS = 240_000;

describeWithMongoDb('the MongoDB stack under concurrent load', () => {
  // The processes run from dist/, as `npm start` runs them.
  const dedicatedFerretDb = dedicatedFerretDbForSuite();

  it.each([
    ['the API alone (projections in process)', false],
    ['the API and a second projector on the same database', true],
  ])('%s: every request answered within 10 s, no 5xx but 503, read models equal to the log after catch-up', async (scenario, secondProjector) => {
    const ferretDb = dedicatedFerretDb();
    const mongoUri = ferretDb.uri;
    const dataDir = mkdtempSync(join(tmpdir(), 'load-'));
    const database = `load_${process.pid}_${Date.now()}`;
    const port = await freePort();
    const env = {
      DATA_DIR: dataDir,
      MONGODB_URI: `${mongoUri.replace(/\/?$/, '/')}${database}`,
      AUTH_JWT_SECRET: SECRET,
      PORT: String(port),
    };
    const baseUrl = `http://127.0.0.1:${port}`;
    const services: ServiceProcess[] = [];
    try {
      const api = startService('dist/apps/api/main.js', env);
      services.push(api);
      await waitUntil('the API answered /health', async () => (await fetch(`${baseUrl}/health`)).ok, 60_000, api);
      if (secondProjector) services.push(startService('dist/apps/projector/main.js', env));

      const owner = await mintToken({ sub: 'owner-1', workspace: 'acme', role: 'owner' }, SECRET, '1h');
      const integration = await mintToken({ sub: 'connector-1', workspace: 'acme', role: 'integration' }, SECRET, '1h');
      const contactIds: string[] = [];
      let startPosition = 0;
      for (let i = 0; i < CONTACTS; i++) {
        const response = await fetch(`${baseUrl}/v1/channel-contacts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${integration}`, 'content-type': 'application/json' },
          body: JSON.stringify({ channel: 'telegram', channelContactId: `load-${i}`, name: `Seed Person Seedling${i}` }),
        });
        expect(response.status).toBe(201);
        const created = (await response.json()) as { contactId: string; position: number };
        contactIds.push(created.contactId);
        startPosition = created.position;
      }

      const figures = await runLoad({ baseUrl, ownerToken: owner, contactIds, clients: CLIENTS, seconds: SECONDS, requestTimeoutMs: REQUEST_TIMEOUT_MS, startPosition });
      const burstEnded = Date.now();
      const catchUpMs = await timeToCatchUp(baseUrl, burstEnded, services).catch((error: Error) => {
        throw new Error(`${error.message}\nFerretDB's goroutines:\n${ferretDb.goroutineSummary()}`);
      });
      report(scenario, figures, catchUpMs);

      expect(figures.timedOut).toBe(0);
      expect(figures.maxMs).toBeLessThan(REQUEST_TIMEOUT_MS);
      const fiveHundreds = Object.keys(figures.byStatus).filter((status) => status >= '500' && status !== '503');
      expect(fiveHundreds).toEqual([]);
      expect(figures.byStatus.network).toBeUndefined();
      expect(figures.edits).toBeGreaterThan(20);

      await expectReadModelsEqualTheLog(baseUrl, owner, contactIds);
    } finally {
      await Promise.all(services.map((service) => service.stop()));
      rmSync(dataDir, { recursive: true, force: true });
      const client = await MongoClient.connect(mongoUri, { serverSelectionTimeoutMS: 3_000 }).catch(() => null);
      await client?.db(database).dropDatabase().catch(() => undefined);
      await client?.close();
    }
  }, TEST_TIMEOUT_MS);
});

/** Milliseconds from the end of the burst until every projection reached the log head (/health). */
async function timeToCatchUp(baseUrl: string, from: number, services: readonly ServiceProcess[]): Promise<number> {
  let caughtUpAt = 0;
  let last: unknown = null;
  await waitUntil(
    'the projections reached the log head',
    async () => {
      const health = (await (await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(5_000) })).json()) as HealthAnswer;
      last = health;
      const done = caughtUpSince(health, from);
      if (done) caughtUpAt = Date.now();
      return done;
    },
    CATCH_UP_LIMIT_MS,
  ).catch((error: Error) => {
    const outputs = services.map((service, i) => `--- process ${i}:\n${service.output().slice(-4_000)}`).join('\n');
    throw new Error(`${error.message}\nlast /health: ${JSON.stringify(last)}\n${outputs}`);
  });
  return caughtUpAt - from;
}

/** Each contact's view equals its fold of the log (`?asOf=` now), and search finds it by its current name. */
async function expectReadModelsEqualTheLog(baseUrl: string, token: string, contactIds: readonly string[]): Promise<void> {
  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(200);
    return response.json() as Promise<any>;
  };
  const now = new Date(Date.now() + 1_000).toISOString();
  for (const id of contactIds) {
    const [projected, folded] = await Promise.all([get(`/v1/contacts/${id}`), get(`/v1/contacts/${id}?asOf=${encodeURIComponent(now)}`)]);
    expect({ id, version: projected.version, fields: projected.fields }).toEqual({ id, version: folded.version, fields: folded.fields });
    const uniqueWord = String(projected.fields.name.value).split(' ').at(-1)!.toLowerCase();
    const found = await get(`/v1/contacts?q=${encodeURIComponent(uniqueWord)}`);
    expect(found.items.map((item: { id: string }) => item.id)).toContain(id);
    const history = await get(`/v1/contacts/${id}/history?field=name&limit=500`);
    expect(history.at(-1)?.to).toBe(projected.fields.name.value);
  }
}

function report(scenario: string, figures: LoadFigures, catchUpMs: number): void {
  const line = { scenario, clients: CLIENTS, seconds: SECONDS, ...figures, catchUpMs };
  console.log(`load figures: ${JSON.stringify(line)}`);
  if (process.env.LOAD_FIGURES_FILE) writeFileSync(process.env.LOAD_FIGURES_FILE, `${JSON.stringify(line)}\n`, { flag: 'a' });
}
