import { randomUUID } from 'node:crypto';
import { describeWithMongoDb } from '../../libs/document-store/testing/describe-with-mongodb.js';
import { buildDistOnce, dedicatedFerretDbForSuite } from '../load/processes.js';
import {
  CommandBurst,
  compareWithFreshFold,
  dropDatabases,
  figures,
  inspectLog,
  progress,
  projectionsBehind,
  removeDir,
  stackEnv,
  startApiService,
  temporaryDir,
  tokens,
  waitForCatchUp,
  type RunningApi,
} from './fault-harness.js';

/**
 * Issue 11, fault tests 1 and 2: kill -9 the API, its projections running in the process, in the
 * middle of bursts of commands, round after round. After each kill the log opens cleanly, passes
 * SQLite's integrity check, has no torn or duplicate event, and holds every command that got a
 * 2xx. The projections die mid-batch too (a restarted API takes over the dead one's leases after
 * PROJECTION_LEASE_TTL_MS and catches up the backlog while the next burst runs); after a last
 * clean catch-up every read model equals an independent fold of the log.
 */
/** Clients per burst, and their pause between commands: FerretDB projects some 50 events/s, so its stack gets fewer. */
const EMBEDDED_LOAD = { clients: 6, pauseMs: 0 };
const FERRETDB_LOAD = { clients: 2, pauseMs: 50 };
/** FAULT_KILL_ROUNDS=n runs fewer (or more) rounds on each stack, for a quick local run. */
const roundsOr = (rounds: number) => Number(process.env.FAULT_KILL_ROUNDS) || rounds;

describe('kill -9 of the API during bursts of commands (embedded stack)', () => {
  beforeAll(() => buildDistOnce(), 180_000);

  it('50 rounds: every acknowledged command in the log, read models equal to a fresh fold', async () => {
    const dataDir = temporaryDir('faults-kill-');
    try {
      await killRounds('embedded', stackEnv(dataDir), dataDir, roundsOr(50), EMBEDDED_LOAD);
    } finally {
      removeDir(dataDir);
    }
  }, 900_000);
});

describeWithMongoDb('kill -9 of the API during bursts of commands (SQLite log + FerretDB read models)', () => {
  const dedicatedFerretDb = dedicatedFerretDbForSuite();

  // 10 rounds: FerretDB projects some 50 events/s, so each round's catch-up is slow; the
  // embedded stack's 50 rounds and projector-takeover.spec.ts's kills cover the projector too.
  it('10 rounds: every acknowledged command in the log, read models equal to a fresh fold', async () => {
    const ferretDb = dedicatedFerretDb();
    const dataDir = temporaryDir('faults-kill-');
    const database = `faults_${randomUUID().slice(0, 8)}`;
    try {
      await killRounds('FerretDB', stackEnv(dataDir, { uri: ferretDb.uri, database }), dataDir, roundsOr(10), FERRETDB_LOAD);
    } finally {
      removeDir(dataDir);
      await dropDatabases(ferretDb.uri, [database, `${database}_keys`]);
    }
  }, 900_000);
});

async function killRounds(
  stack: string,
  env: Record<string, string>,
  dataDir: string,
  rounds: number,
  load: { clients: number; pauseMs: number },
): Promise<void> {
  const auth = await tokens();
  const started = Date.now();
  let acknowledged = 0;
  let found = 0;
  let inFlightAtKill = 0;
  let inFlightFound = 0;
  let projectionsBehindAtKill = 0;
  const missing: string[] = [];
  for (let round = 0; round < rounds; round++) {
    const api = await startApiService(env);
    const burst = new CommandBurst(api.baseUrl, auth, `r${round}`, load.clients, load.pauseMs);
    // Kill at a random moment of the burst, once it has been acknowledged at least once.
    await waitForAcknowledgements(burst, api);
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 600));
    if (await projectionsBehind(api)) projectionsBehindAtKill++;
    const inFlight = new Set(burst.inFlight());
    await api.service.kill();
    await burst.stop();

    const log = await inspectLog(dataDir);
    progress(`${stack} round ${round}: ${burst.acknowledged().length} acknowledged, log ${log.events} events`);
    expect({ round, problems: log.problems }).toEqual({ round, problems: [] });
    for (const id of burst.acknowledged()) {
      acknowledged++;
      if (log.correlationIds.has(id)) found++;
      else missing.push(`round ${round}: ${id}`);
    }
    inFlightAtKill += inFlight.size;
    for (const id of inFlight) if (log.correlationIds.has(id)) inFlightFound++;
  }

  // A last clean run: the read models catch up, then the processes stop before the comparison.
  const api = await startApiService(env);
  const { logHead } = await waitForCatchUp(api, 180_000);
  await api.service.stop();
  const log = await inspectLog(dataDir);
  const comparison = await compareWithFreshFold(env);

  figures(`kill -9 the API during bursts (${stack})`, {
    rounds,
    kills: rounds,
    acknowledged,
    found,
    missing: missing.length,
    inFlightAtKill,
    inFlightFound,
    projectionsBehindAtKill,
    logEvents: log.events,
    logHead,
    readModelDocuments: comparison.documents,
    readModelDifferences: comparison.differences.length,
    seconds: Math.round((Date.now() - started) / 1000),
  });
  expect(missing).toEqual([]);
  expect(found).toBe(acknowledged);
  expect(acknowledged).toBeGreaterThan(rounds);
  expect(log.problems).toEqual([]);
  expect(comparison.differences.slice(0, 20)).toEqual([]);
}

async function waitForAcknowledgements(burst: CommandBurst, api: RunningApi): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (burst.acknowledged().length === 0) {
    if (Date.now() > deadline) throw new Error(`no command acknowledged within 30 s: ${JSON.stringify(burst.sent.slice(0, 10))}\n${api.service.output().slice(-3_000)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
