#!/usr/bin/env node
// Reproduces "FerretDB stops answering" (issue 15) on loopback, and shows what prevents it.
//
//   node test/ferretdb/reproduce-hang.mjs <mongodb-uri> <concurrent updates> [seconds]
//
// Root cause (FerretDB 1.24.2, both backends; goroutine dump in the issue-15 note): an `update`
// command (updateOne/replaceOne/upsert, alone or in a bulk write) opens a query iterator, which
// holds one backend connection, and then writes in a transaction on a SECOND connection
// (handler/msg_update.go → common.UpdateDocument → UpdateAll/InsertAll). When as many update
// commands run at once as the backend pool has connections (PostgreSQL: pool_max_conns, 50 by
// default; SQLite: 100 open connections), each holds one connection and waits for another that
// never frees: FerretDB hangs for good, every backend connection idle. A dropDatabase or
// collection creation then also holds the metadata lock while waiting, so even `ping` hangs.
// The MongoDB driver opens up to maxPoolSize (100 by default) connections per process, so
// two processes under load get there easily.
//
// This script runs `<concurrent updates>` workers, each on its own connection (maxPoolSize =
// that number), doing guarded upserts as the projections do, and probes the server every
// second on a separate connection. Every call is bounded (socketTimeoutMS), so the script ends.
// Exit code 1 and "hung": true when the server stopped answering.
//
//   FERRETDB_BACKEND=postgresql bash test/support/ferretdb.sh start 27052
//   node test/ferretdb/reproduce-hang.mjs mongodb://127.0.0.1:27052/ 60   # hangs
//   node test/ferretdb/reproduce-hang.mjs mongodb://127.0.0.1:27052/ 20   # the adapter's bound: no hang
import { MongoClient } from 'mongodb';

const [uri = 'mongodb://127.0.0.1:27027/', concurrencyArg = '60', secondsArg = '15'] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const until = Date.now() + Number(secondsArg) * 1000;
const IDS = 200;
const database = `hang_repro_${process.pid}`;
const bounds = { serverSelectionTimeoutMS: 5_000, connectTimeoutMS: 5_000, socketTimeoutMS: 10_000 };

const workers = await MongoClient.connect(uri, { ...bounds, maxPoolSize: concurrency, minPoolSize: concurrency });
const views = workers.db(database).collection('views');
await views.insertMany(Array.from({ length: IDS }, (_, i) => ({ _id: `c-${i}`, position: 0, name: `Person ${i}` })));
const stats = { updates: 0, failures: 0, probes: [], errors: {} };
let position = 0;

async function worker() {
  while (Date.now() < until) {
    const p = ++position;
    const id = `c-${p % IDS}`;
    try {
      await views.updateOne({ _id: id, position: { $lt: p } }, { $set: { position: p, name: `Person ${p}` } }, { upsert: true });
      stats.updates++;
    } catch (error) {
      stats.failures++;
      const key = `${error.code ?? ''} ${error.name}`;
      stats.errors[key] = (stats.errors[key] ?? 0) + 1;
    }
  }
}

async function probe() {
  while (Date.now() < until + 3_000) {
    const started = Date.now();
    const client = new MongoClient(uri, { ...bounds, maxPoolSize: 1 });
    try {
      await client.connect();
      await client.db(database).collection('views').findOne({ _id: 'c-1' });
    } catch {
      // counted by its duration
    } finally {
      stats.probes.push(Date.now() - started);
      await client.close(true).catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

await Promise.all([...Array.from({ length: concurrency }, worker), probe()]);
const longestProbeMs = Math.max(...stats.probes);
const hung = longestProbeMs >= bounds.socketTimeoutMS;
console.log(JSON.stringify({ concurrency, updates: stats.updates, failures: stats.failures, errors: stats.errors, probes: stats.probes.length, longestProbeMs, hung }));
if (!hung) await views.drop().catch(() => undefined);
await workers.close(true);
process.exit(hung ? 1 : 0);
