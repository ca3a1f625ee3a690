import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describeWithMongoDb } from '../../libs/document-store/testing/describe-with-mongodb.js';
import { LEASES_COLLECTION, type LeaseDocument } from '../../libs/projections/projection-lease.js';
import { ALL_PROJECTION_NAMES } from '../../apps/shared/projections.js';
import { dedicatedFerretDbForSuite, startService, type ServiceProcess } from '../load/processes.js';
import {
  CommandBurst,
  compareWithFreshFold,
  dropDatabases,
  figures,
  inspectLog,
  projectionsBehind,
  progress,
  removeDir,
  stackEnv,
  startApiService,
  temporaryDir,
  tokens,
  waitForCatchUp,
} from './fault-harness.js';

/**
 * Issue 11, item 1's proof of the lease (and fault test 2 for apps/projector): two projector
 * processes on one FerretDB database while an API (RUN_PROJECTIONS=false) takes commands. The
 * active one is killed with SIGKILL, several times, in the middle of its work; the other takes
 * over each projection once the dead one's lease expires, and the killed one comes back as the
 * one that waits. At the end nothing was applied twice or lost: every read model equals a fresh
 * fold of the log, and the audit trail has as many entries as the fold makes.
 */
const KILLS = 20;

describeWithMongoDb('two projectors on FerretDB: kill -9 of the active one', () => {
  const dedicatedFerretDb = dedicatedFerretDbForSuite();

  it(`${KILLS} kills of the active projector: the other takes over, read models equal to a fresh fold`, async () => {
    const ferretDb = dedicatedFerretDb();
    const dataDir = temporaryDir('faults-takeover-');
    const database = `takeover_${randomUUID().slice(0, 8)}`;
    const env = stackEnv(dataDir, { uri: ferretDb.uri, database });
    const client = await MongoClient.connect(ferretDb.uri);
    const leases = client.db(database).collection<LeaseDocument>(LEASES_COLLECTION);
    const processes: ServiceProcess[] = [];
    const startProjector = async () => {
      const projector = startService('dist/apps/projector/main.js', env);
      processes.push(projector);
      await projector.waitForOutput('projector running', 90_000);
      return projector;
    };
    const started = Date.now();
    let takeovers = 0;
    let behindAtKill = 0;
    try {
      const api = await startApiService({ ...env, RUN_PROJECTIONS: 'false' });
      processes.push(api.service);
      const burst = new CommandBurst(api.baseUrl, await tokens(), 'takeover', 1, 200);

      let active = await startProjector();
      let activeHolders = await holdersOnceAllHeld(leases, new Set(), 60_000);
      let waiting = startProjector();
      for (let kill = 0; kill < KILLS; kill++) {
        // Let the active one work a little (the kill lands in the middle of its batches) while the
        // other one starts: it waits, as the leases are all held.
        const [standby] = await Promise.all([waiting, new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 1_500))]);
        if (await projectionsBehind(api)) behindAtKill++;
        await active.kill();
        progress(`kill ${kill}: ${burst.acknowledged().length} commands acknowledged so far`);
        const survivorHolders = await holdersOnceAllHeld(leases, activeHolders, 60_000).catch((error: Error) => {
          throw new Error(`${error.message}\nthe waiting projector's output:\n${standby.output().slice(-3_000)}`);
        });
        takeovers += ALL_PROJECTION_NAMES.length;
        active = standby;
        activeHolders = survivorHolders;
        // The killed one comes back once the other holds every lease, so it can only wait.
        waiting = startProjector();
      }
      await waiting;

      await burst.stop();
      progress('catching up');
      const { logHead } = await waitForCatchUp(api, 240_000, processes.slice(1));
      progress('comparing');
      await Promise.all(processes.map((process) => process.stop()));
      const log = await inspectLog(dataDir);
      const comparison = await compareWithFreshFold(env);
      figures('two projectors on FerretDB, kill -9 of the active one', {
        kills: KILLS,
        takeovers,
        projectionsBehindAtKill: behindAtKill,
        projections: ALL_PROJECTION_NAMES.length,
        commandsAcknowledged: burst.acknowledged().length,
        logHead,
        readModelDocuments: comparison.documents,
        readModelDifferences: comparison.differences.length,
        seconds: Math.round((Date.now() - started) / 1000),
      });
      expect(log.problems).toEqual([]);
      expect(comparison.differences.slice(0, 20)).toEqual([]);
      expect(comparison.documents['contact-history']).toBeGreaterThan(0);
    } finally {
      await Promise.all(processes.map((process) => process.stop()));
      await client.close();
      removeDir(dataDir);
      await dropDatabases(ferretDb.uri, [database, `${database}_keys`]);
    }
  }, 600_000);
});

/**
 * Waits until every projection's current lease term runs and none is held by `dead` (the killed
 * process's loops); answers the holders (the loops of the process now active).
 */
async function holdersOnceAllHeld(leases: import('mongodb').Collection<LeaseDocument>, dead: ReadonlySet<string>, timeoutMs: number): Promise<Set<string>> {
  const deadline = Date.now() + timeoutMs;
  let current: Map<string, LeaseDocument> = new Map();
  while (Date.now() < deadline) {
    current = new Map();
    for (const term of await leases.find({}).toArray()) {
      const latest = current.get(term.projection);
      if (!latest || term.term > latest.term) current.set(term.projection, term);
    }
    const now = Date.now();
    const held = ALL_PROJECTION_NAMES.every((name) => {
      const term = current.get(name);
      return term !== undefined && Date.parse(term.expiresAt) > now && !dead.has(term.holder);
    });
    if (held) return new Set([...current.values()].map((term) => term.holder));
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the projections' leases were not all taken by a live projector within ${timeoutMs / 1000} s: ${JSON.stringify([...current.values()])}`);
}
