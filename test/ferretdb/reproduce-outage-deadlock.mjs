#!/usr/bin/env node
// Reproduces the FerretDB outage fault of docs/notes/issue-11.md outside the fault test: after a
// freeze (SIGSTOP) and thaw, FerretDB 1.24 deadlocks the database the bulk writes go to, for good.
//
//   bash test/support/ferretdb.sh start 27071
//   node test/ferretdb/reproduce-outage-deadlock.mjs mongodb://127.0.0.1:27071/ "$(cat /tmp/contact-profiles-ferretdb-27071/ferretdb.pid)" 25
//
// Two clients opened as the API opens them (read models, key store; maxPoolSize 20…): reads every
// 250 ms and bulk writes of 20 replacements of existing documents from 4 loops, each call given
// up after 2 s as the readiness check does; FerretDB frozen 2–14 s at random moments, then
// thawed; after each thaw both clients must read within 8 s. Exit 1 and "STUCK" when the
// read-model client does not (the key store still answers: another database).
//   SOCKET_TIMEOUT_MS=5000   the old socketTimeoutMS (default 60000, as now)
//   SPLIT=1                  one replacement per command, as the adapter now sends FerretDB
// Without SPLIT it got stuck within a few cycles (whatever the socket timeout); with it, 25 of 25.
// It SIGSTOPs the given process: point it at a FerretDB of your own. A stuck run leaves that
// server's `diag` database deadlocked: restart the server.
import { MongoClient } from 'mongodb';

const [uri, pidArg, cyclesArg = '10'] = process.argv.slice(2);
const pid = Number(pidArg);
const options = { maxPoolSize: 20, waitQueueTimeoutMS: 3_000, serverSelectionTimeoutMS: 3_000, connectTimeoutMS: 3_000, socketTimeoutMS: Number(process.env.SOCKET_TIMEOUT_MS ?? 60_000) };
const t0 = Date.now();
const log = (...args) => console.error(((Date.now() - t0) / 1000).toFixed(2).padStart(7), ...args);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function instrument(name, client) {
  for (const event of ['connectionPoolCleared', 'connectionCheckOutFailed', 'serverHeartbeatFailed', 'connectionPoolReady']) {
    client.on(event, (e) => log(name, event, e.reason ?? '', e.failure?.message ?? ''));
  }
  client.on('serverDescriptionChanged', (e) => log(name, 'sdc', e.previousDescription.type, '->', e.newDescription.type, e.newDescription.error?.message ?? ''));
}
const pool = (client) => {
  const server = [...client.topology.s.servers.values()][0];
  const p = server.pool;
  return `${server.description.type} total=${p.totalConnectionCount} avail=${p.availableConnectionCount} pending=${p.pendingConnectionCount} out=${p.currentCheckedOutCount} wait=${p.waitQueueSize} ${p.poolState ?? ''}`;
};

const readModels = await MongoClient.connect(uri, options);
const keys = await MongoClient.connect(uri, options);
instrument('rm', readModels);
instrument('keys', keys);
const checkpoints = readModels.db('diag').collection('projection_checkpoints');
const views = readModels.db('diag').collection('views');
const keyDocs = keys.db('diag_keys').collection('personal_data_keys');
await checkpoints.updateOne({ _id: 'a' }, { $set: { position: 1 } }, { upsert: true });
await keyDocs.updateOne({ _id: 'k' }, { $set: { key: 1 } }, { upsert: true });

let stop = false;
const swallow = (promise) => promise.then(() => undefined, () => undefined);
async function loop(every, fn) {
  while (!stop) {
    // Abandoned after 2 s as the readiness check does; the driver call goes on.
    await Promise.race([swallow(fn()), sleep(2_000)]);
    await sleep(every * Math.random());
  }
}
let p = 0;
const big = 'x'.repeat(2_000);
const loops = [
  ...Array.from({ length: 6 }, () => loop(250, () => checkpoints.find({ _id: { $in: ['a', 'b'] } }, { maxTimeMS: 4_000 }).toArray())),
  ...Array.from({ length: 4 }, () =>
    loop(100, async () => {
      const operations = Array.from({ length: 20 }, () => ({ replaceOne: { filter: { _id: `v${p % 50}` }, replacement: { _id: `v${p % 50}`, n: p++, big }, upsert: true } }));
      if (!process.env.SPLIT) return views.bulkWrite(operations, { maxTimeMS: 4_000 });
      for (const operation of operations) await views.bulkWrite([operation], { maxTimeMS: 4_000 });
    }),
  ),
  loop(500, () => keyDocs.findOne({ _id: 'k' }, { maxTimeMS: 5_000 })),
];

async function answers(collection, filter) {
  const started = Date.now();
  while (Date.now() - started < 8_000) {
    const ok = await Promise.race([collection.findOne(filter, { maxTimeMS: 4_000 }).then(() => true, () => false), sleep(2_000).then(() => false)]);
    if (ok) return Date.now() - started;
    await sleep(100);
  }
  return null;
}

const cycles = Number(cyclesArg);
const results = [];
for (let cycle = 0; cycle < cycles; cycle++) {
  await sleep(500 + Math.random() * 3_000);
  const frozenMs = 2_000 + Math.random() * 12_000;
  log(`cycle ${cycle}: FREEZE ${Math.round(frozenMs)} ms`);
  process.kill(pid, 'SIGSTOP');
  await sleep(frozenMs);
  process.kill(pid, 'SIGCONT');
  log(`cycle ${cycle}: THAW`, 'rm', pool(readModels), '| keys', pool(keys));
  const [rm, k] = await Promise.all([answers(checkpoints, { _id: 'a' }), answers(keyDocs, { _id: 'k' })]);
  log(`cycle ${cycle}: recovered rm ${rm} ms keys ${k} ms`, 'rm', pool(readModels), '| keys', pool(keys));
  results.push({ cycle, frozenMs: Math.round(frozenMs), rm, keys: k });
  if (rm === null || k === null) {
    log('STUCK; watching 30 s more');
    const server = [...readModels.topology.s.servers.values()][0];
    for (const conn of server.pool.checkedOut) {
      const socket = conn.socket;
      log('checked out', conn.id, 'closed', conn.closed, 'error', conn.error?.message, 'destroyed', socket.destroyed, 'writableLength', socket.writableLength, 'needDrain', socket.writableNeedDrain, 'timeout', socket.timeout, 'dataEvents', !!conn.dataEvents, 'local', socket.localPort);
    }
    for (let i = 0; i < 6; i++) {
      await sleep(5_000);
      log('rm', pool(readModels), '| keys', pool(keys), 'rm answers', await answers(checkpoints, { _id: 'a' }));
    }
    break;
  }
}
stop = true;
console.log(JSON.stringify(results));
await Promise.race([Promise.all(loops), sleep(12_000)]);
await readModels.close(true);
await keys.close(true);
process.exit(results.some((r) => r.rm === null || r.keys === null) ? 1 : 0);
