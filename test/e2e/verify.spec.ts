import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { DocumentStore } from '../../libs/document-store/document-store.port.js';
import { openDocumentStore } from '../../libs/document-store/open-document-store.js';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store.js';
import { waitForCheckpoints } from '../../libs/projections/checkpoints.js';
import { ALL_PROJECTIONS } from '../../apps/shared/projections.js';
import { verifyCommand, verifyProjections } from '../../apps/cli/verify.command.js';
import { openEventLog } from '../../apps/shared/event-log.js';
import { join } from 'node:path';
import { TEST_SECRET, type ApiHarness } from '../support/api-harness.js';
import { writeEveryEventType } from '../support/every-event-workload.js';
import { E2E_STACKS, startStack } from '../support/stacks.js';

type Doc = { _id: string } & Record<string, unknown>;

/** `npm run cli -- verify` in its own process, as an auditor runs it: exit status and stdout lines. */
async function runVerify(api: ApiHarness, env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  const { MONGODB_URI: _uri, MONGODB_DATABASE: _database, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', './test/support/register-ts.mjs', 'apps/cli/main.ts', 'verify', ...args], {
    cwd: join(import.meta.dirname, '../..'),
    env: { ...inherited, ...env, DATA_DIR: api.config.dataDir, AUTH_JWT_SECRET: TEST_SECRET, EVENTSTORE_CONNECTION_STRING: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, lines: stdout.trim().split('\n'), stderr };
}

/** `<projection> <collection> <id>: <problem> (<properties>)` lines, parsed. */
function differencesIn(lines: readonly string[]) {
  return lines.flatMap((line) => {
    const match = /^(\S+) (\S+) (\S+): (missing|unexpected|different)(?: \((.*)\))?$/.exec(line);
    return match ? [{ projection: match[1], collection: match[2], id: match[3], problem: match[4], ...(match[5] ? { properties: match[5].split(', ') } : {}) }] : [];
  });
}

describe.each(E2E_STACKS)('npm run cli -- verify on %s', (_, envOf) => {
  let api: ApiHarness;
  let stop: () => Promise<void>;
  let env: Record<string, string>;
  let store: DocumentStore;

  beforeAll(async () => {
    env = envOf();
    ({ api, stop } = await startStack(env));
    await writeEveryEventType(api);
    // Look-alikes left as they are: merge suggestions to show.
    const integration = await api.token('integration');
    for (const channel of ['whatsapp', 'telegram', 'viber']) {
      const response = await api.request('POST', '/v1/channel-contacts', { token: integration, body: { channel, channelContactId: `${channel}-bo`, name: 'Bo Berg', phone: '+442079460600' } });
      expect(response.status).toBe(201);
    }
    const log = SqliteEventStore.open(join(api.config.dataDir, 'events.sqlite'));
    const head = await log.headPosition();
    await log.close();
    store = await openDocumentStore(api.config);
    expect(await waitForCheckpoints(store, ALL_PROJECTIONS.map(({ name }) => name), head, 10_000)).toBe(true);
  });
  afterAll(async () => {
    await store.close();
    await stop();
  });

  it('finds no difference in any read model the API projected from a log of every event type, and exits 0', async () => {
    const { code, lines, stderr } = await runVerify(api, env);
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/Error/) });
    expect(differencesIn(lines)).toEqual([]);
    // One summary per read model, each having compared documents of every collection it writes.
    expect(lines).toHaveLength(ALL_PROJECTIONS.length);
    for (const [i, projection] of ALL_PROJECTIONS.entries()) {
      expect(lines[i]).toMatch(new RegExp(`^${projection.name}: [1-9]\\d* documents of ${projection.collections.join(', ')} checked against \\d+ events .*: no difference$`));
      for (const collection of projection.collections) expect([collection, await store.collection(collection).count({})]).not.toEqual([collection, 0]);
    }
    await expect(verifyCommand(['no-such-read-model'], { ...env, DATA_DIR: api.config.dataDir })).rejects.toThrow(/^usage: verify \[contact-views\|/);
  }, 60_000);

  it('finds no difference folding one event per batch: each batch starts from the documents the fold remembers writing, not from reads', async () => {
    const log = await openEventLog(api.config);
    try {
      const out: string[] = [];
      const results = await verifyProjections(log, store, ALL_PROJECTIONS, { write: (text) => out.push(text) }, { write: () => true }, { batchSize: 1 });
      expect(results.flatMap(({ differences }) => differences)).toEqual([]);
      expect(results.map(({ projection, events }) => [projection, events > 1])).toEqual(ALL_PROJECTIONS.map(({ name }) => [name, true]));
      expect(out.filter((line) => !line.endsWith(': no difference\n'))).toEqual([]);
    } finally {
      await log.close();
    }
  }, 60_000);

  it('reports a changed, a deleted and an added document in every collection of every read model, with its id, and exits 1', async () => {
    const expected: Array<Record<string, unknown>> = [];
    for (const projection of ALL_PROJECTIONS) {
      for (const collection of projection.collections) {
        const documents = store.collection<Doc>(collection);
        const [first, second] = await documents.find({}, { sort: { _id: 1 }, limit: 2 });
        // Changed: the first property other than _id and position.
        const property = Object.keys(first!).filter((key) => key !== '_id' && key !== 'position').sort()[0]!;
        await documents.updateOne({ _id: first!._id }, { $set: { [property]: 'tampered' } });
        expected.push({ projection: projection.name, collection, id: first!._id, problem: 'different', properties: [property] });
        // Added: a copy of it under an id the log never gave.
        const forged = `forged-${collection}`;
        await documents.insertMany([{ ...first!, _id: forged }]);
        expected.push({ projection: projection.name, collection, id: forged, problem: 'unexpected' });
        // Deleted: the second, where there is one.
        if (second) {
          await documents.deleteOne({ _id: second._id });
          expected.push({ projection: projection.name, collection, id: second._id, problem: 'missing' });
        }
      }
    }

    const { code, lines } = await runVerify(api, env);
    expect(code).toBe(1);
    const key = (difference: Record<string, unknown>) => JSON.stringify([difference.collection, difference.id, difference.problem]);
    expect(differencesIn(lines).sort((a, b) => key(a).localeCompare(key(b)))).toEqual(expected.sort((a, b) => key(a).localeCompare(key(b))));
    for (const projection of ALL_PROJECTIONS) {
      const count = expected.filter((difference) => difference.projection === projection.name).length;
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${projection.name}: .*: ${count} difference\\(s\\)$`)));
    }

    // One read model at a time: only its differences.
    const one = await runVerify(api, env, ['tag-usage']);
    expect(one.code).toBe(1);
    expect(new Set(differencesIn(one.lines).map((difference) => difference.projection))).toEqual(new Set(['tag-usage']));
  }, 90_000);
});
