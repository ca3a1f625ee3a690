import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { DocumentStore } from '../document-store/document-store.port.js';
import { CHECKPOINTS_COLLECTION, type CheckpointDocument } from './checkpoints.js';
import { CONTACT_PROJECTIONS } from '../contacts/projections/contact-projections.js';
import { CONTACT_VIEWS_COLLECTION, contactViewsProjection } from '../contacts/projections/contact-views/contact-views.projection.js';
import type { Projection } from './projection.js';
import type { ProjectionRunner } from './projection-runner.js';
import { LIVE_LOOPS_COLLECTION, PAUSES_COLLECTION, pauseLiveLoops, recordHeartbeat, type LiveLoopDocument } from './rebuild-pause.js';
import { rebuildProjection } from './rebuild-projection.js';
import { fillBusyLog } from './testing/busy-log.js';
import { ContactLog } from '../contacts/testing/contact-log.js';
import { describeWithDocumentStores, snapshotOf } from '../document-store/testing/document-store-targets.js';
import { caughtUp, testRunner } from './testing/run-projections.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The projection as a live loop runs it, but with every batch held until `gate` resolves. */
function gated(projection: Projection, gate: () => Promise<void>): Projection {
  return {
    ...projection,
    async applyBatch(events, db) {
      await gate();
      await projection.applyBatch(events, db);
    },
  };
}

describeWithDocumentStores('rebuilding while live loops run elsewhere (pause protocol)', (open) => {
  let log: ContactLog;
  let store: DocumentStore;
  const runners: ProjectionRunner[] = [];

  beforeEach(async () => {
    log = ContactLog.open();
    await fillBusyLog(log, 6);
    store = await open();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await log.close();
  });

  /** A projector in "another process": its own runner on the same stores. */
  const liveRunner = async (projections: readonly Projection[]) => {
    const runner = testRunner(log, store, projections);
    runners.push(runner);
    await runner.start();
    return runner;
  };
  const checkpointOf = (name: string) => store.collection<CheckpointDocument>(CHECKPOINTS_COLLECTION).findOne({ _id: name });
  const pausesHeld = () => store.collection(PAUSES_COLLECTION).count({});

  it('pauses the live loops for the swap: events appended all along end up in the swapped-in read models, and the loops go on', async () => {
    // Slow live batches keep writes in flight while the rebuilds swap.
    const runner = await liveRunner(CONTACT_PROJECTIONS.map((projection) => gated(projection, () => sleep(5))));
    await caughtUp(runner, log);
    let appending = true;
    const appender = (async () => {
      // Paced and bounded: FerretDB's live projections keep up with a few dozen events a second.
      for (let i = 0; appending && i < 60; i++) {
        await log.report('telegram', `during-${i}`, { name: `During ${i}` });
        await sleep(50);
      }
    })();

    // A live batch on FerretDB can take seconds on a loaded machine: the pause waits for it.
    for (const projection of CONTACT_PROJECTIONS) await rebuildProjection(log.store, store, projection, { pauseTimeoutMs: 30_000 });
    appending = false;
    await appender;
    const after = await log.report('telegram', 'after-rebuild', { name: 'After' });
    await caughtUp(runner, log);
    await runner.stop();

    for (const projection of CONTACT_PROJECTIONS) {
      const checkpoint = await checkpointOf(projection.name);
      expect(checkpoint).toMatchObject({ position: after.position });
      const live = await snapshotOf(store, projection.collections);
      await rebuildProjection(log.store, store, projection);
      expect(live).toEqual(await snapshotOf(store, projection.collections));
    }
    expect(await store.collection(CONTACT_VIEWS_COLLECTION).count({ _id: after.contactId })).toBe(1);
    expect(await pausesHeld()).toBe(0);
  }, 90_000); // a rebuild of every contact projection, twice, on FerretDB

  it('swaps only after the batch in flight in the live loop is applied', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    const runner = await liveRunner([gated(contactViewsProjection, () => (holding ? held : Promise.resolve()))]);
    await caughtUp(runner, log);
    holding = true;
    const inFlight = await log.report('telegram', 'in-flight', { name: 'In Flight' });

    let done = false;
    const rebuilding = rebuildProjection(log.store, store, contactViewsProjection).then((result) => ((done = true), result));
    await sleep(1500);
    expect(done).toBe(false);
    release();
    const result = await rebuilding;

    expect(result.position).toBe(inFlight.position);
    await caughtUp(runner, log);
    const next = await log.report('telegram', 'next', { name: 'Next' });
    expect(await runner.waitForPosition(next.position, 5000)).toBe(true);
    expect(await store.collection(CONTACT_VIEWS_COLLECTION).count({ _id: { $in: [inFlight.contactId, next.contactId] } })).toBe(2);
  });

  it('does not wait when no live loop runs: stopped loops leave, crashed ones go stale', async () => {
    const runner = await liveRunner([contactViewsProjection]);
    await caughtUp(runner, log);
    await runner.stop();
    const crashedLongAgo = new Date(Date.now() - 60_000).toISOString();
    await store
      .collection<LiveLoopDocument>(LIVE_LOOPS_COLLECTION)
      .insertMany([{ _id: 'crashed', projection: 'contact-views', heartbeatAt: crashedLongAgo }]);

    const started = Date.now();
    const result = await rebuildProjection(log.store, store, contactViewsProjection, { pauseTimeoutMs: 20_000 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.position).toBe(await log.head());
  });

  it('fails clearly, swapping nothing, when a live loop does not acknowledge in time', async () => {
    const runner = await liveRunner([contactViewsProjection]);
    await caughtUp(runner, log);
    await runner.stop();
    const live = await snapshotOf(store, contactViewsProjection.collections);
    await recordHeartbeat(store, 'contact-views', 'frozen-loop');

    await expect(rebuildProjection(log.store, store, contactViewsProjection, { pauseTimeoutMs: 300 })).rejects.toThrow(
      /live projection contact-views \(loop frozen-loop.*did not pause within 0.3 s/,
    );
    expect(await snapshotOf(store, contactViewsProjection.collections)).toEqual(live);
    expect((await store.listCollections()).filter((name) => name.includes('__rebuild_'))).toEqual([]);
    expect(await pausesHeld()).toBe(0);
  });

  it('refuses a second rebuild of a projection while another holds the pause', async () => {
    const pause = await pauseLiveLoops(store, 'contact-views');
    await expect(rebuildProjection(log.store, store, contactViewsProjection)).rejects.toThrow(/another rebuild of contact-views/);
    await pause.release();
    expect((await rebuildProjection(log.store, store, contactViewsProjection)).position).toBe(await log.head());
  });

  it('holds a loop that starts during a pause until the pause is released, then starts from the stored checkpoint', async () => {
    const pause = await pauseLiveLoops(store, 'contact-views');
    const runner = await liveRunner([contactViewsProjection]);
    await sleep(300);
    expect(await store.collection(CONTACT_VIEWS_COLLECTION).count({})).toBe(0);
    expect((await checkpointOf('contact-views'))?.position).toBeUndefined();

    await pause.release();
    await caughtUp(runner, log);
    expect(await store.collection(CONTACT_VIEWS_COLLECTION).count({})).toBe(6);
  });
});
