import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../event-store/event-store.port.js';
import { DocumentStoreUnavailableError, type DocumentStore } from '../document-store/document-store.port.js';
import { CHECKPOINTS_COLLECTION, waitForCheckpoints, type CheckpointDocument } from './checkpoints.js';
import { CONTACT_VIEWS_COLLECTION, contactViewsProjection } from '../contacts/projections/contact-views/contact-views.projection.js';
import { contactSearchProjection } from '../contacts/projections/contact-search/contact-search.projection.js';
import type { Projection } from './projection.js';
import type { ProjectionProgress } from './projection-progress.js';
import { ProjectionRunner } from './projection-runner.js';
import { AGENT, ContactLog } from '../contacts/testing/contact-log.js';
import { caughtUp, testRunner } from './testing/run-projections.js';
import { LIVE_LOOPS_COLLECTION } from './rebuild-pause.js';
import { fillBusyLog } from './testing/busy-log.js';
import { describeWithDocumentStores, snapshotOf } from '../document-store/testing/document-store-targets.js';

/** The contact views, recording the batches it is given, and failing while `failing` is set. */
function observedViews(name = 'observed-views') {
  const batches: RecordedEvent[][] = [];
  const control = { failing: false, attempts: 0 };
  const projection: Projection = {
    ...contactViewsProjection,
    name,
    async applyBatch(events, db) {
      control.attempts++;
      if (control.failing) throw new Error('poison event');
      batches.push([...events]);
      await contactViewsProjection.applyBatch(events, db);
    },
  };
  return { projection, batches, control };
}

/** The store, but its checkpoint writes fail as a store that does not answer while `failing` is set. */
function failingCheckpointWrites(store: DocumentStore, control: { failing: boolean }): DocumentStore {
  const collection = <T extends { _id: string }>(name: string) => {
    const real = store.collection<T>(name);
    if (name !== CHECKPOINTS_COLLECTION) return real;
    return new Proxy(real, {
      get(target, property) {
        const value = Reflect.get(target, property) as unknown;
        if (typeof value !== 'function') return value;
        if (property === 'updateOne' && control.failing) return () => Promise.reject(new DocumentStoreUnavailableError('the read-model database did not answer in time'));
        return value.bind(target);
      },
    });
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'collection') return collection;
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describeWithDocumentStores('ProjectionRunner', (open) => {
  let log: ContactLog;
  let store: DocumentStore;
  const runners: ProjectionRunner[] = [];
  const errors: unknown[] = [];

  beforeEach(async () => {
    log = ContactLog.open();
    store = await open();
    errors.length = 0;
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await log.close();
  });

  const started = async (projections: Projection[], options?: ConstructorParameters<typeof ProjectionRunner>[3]) => {
    const runner = options ? new ProjectionRunner(log.store, store, projections, options) : testRunner(log, store, projections, errors);
    runners.push(runner);
    await runner.start();
    return runner;
  };

  it('catches up in batches of what is available, then applies live events as they come', async () => {
    for (let i = 0; i < 120; i++) await log.report('telegram', `t-${i}`, { name: `Person ${i}` });
    const { projection, batches } = observedViews();
    const runner = await started([projection], { batchSize: 100 });
    await caughtUp(runner, log);
    const catchUp = batches.length;
    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 40]);

    const live = await log.report('telegram', 'late', { name: 'Late' });
    expect(await runner.waitForPosition(live.position, 5000)).toBe(true);
    expect(batches.slice(catchUp).flat().map((event) => event.position)).toEqual([live.position - 1, live.position]);
    expect(await store.collection(CONTACT_VIEWS_COLLECTION).count({})).toBe(121);
  });

  it('reads only the event types it applies, and its checkpoint follows the live log past the others', async () => {
    await log.report('telegram', 'ann', { name: 'Ann' });
    const { projection, batches } = observedViews();
    const runner = await started([projection]);
    await caughtUp(runner, log);
    const grant = await log.grantEditing([AGENT.id]);
    expect(await runner.waitForPosition(grant, 5000)).toBe(true);
    expect(await runner.checkpoints()).toEqual({ 'observed-views': grant });
    expect(batches.flat().map((event) => event.type)).toEqual(['ContactRegistered', 'ChannelDataReceived']);
  });

  it('moves its checkpoint past the other events once the store takes it again, though no event comes to push it', async () => {
    await log.report('telegram', 'ann', { name: 'Ann' });
    const checkpointWrites = { failing: false };
    const { projection } = observedViews();
    const runner = new ProjectionRunner(log.store, failingCheckpointWrites(store, checkpointWrites), [projection], {
      retryDelayMs: { first: 10, max: 50 },
      logger: { error: (_message, error) => errors.push(error) },
    });
    runners.push(runner);
    await runner.start();
    await caughtUp(runner, log);

    checkpointWrites.failing = true;
    const grant = await log.grantEditing([AGENT.id]);
    while (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    checkpointWrites.failing = false;
    expect(await runner.waitForPosition(grant, 5000)).toBe(true);
    expect(await runner.checkpoints()).toEqual({ 'observed-views': grant });
    expect((errors[0] as Error).message).toBe(`projection observed-views could not move its checkpoint to ${grant}`);
  });

  it('stores each checkpoint, past ignored events too, and resumes from it after a restart', async () => {
    await log.report('telegram', 'ann', { name: 'Ann' });
    const grant = await log.grantEditing([AGENT.id]);
    const first = observedViews();
    const runner = await started([first.projection, contactSearchProjection]);
    await caughtUp(runner, log);
    await runner.stop();
    expect(await runner.checkpoints()).toEqual({ 'observed-views': grant, 'contact-search': grant });
    const stored = await store.collection<CheckpointDocument>(CHECKPOINTS_COLLECTION).findOne({ _id: 'contact-search' });
    expect(stored).toMatchObject({ _id: 'contact-search', position: grant, updatedAt: expect.any(String) });
    expect(await store.collection(LIVE_LOOPS_COLLECTION).count({})).toBe(0);

    const bob = await log.report('telegram', 'bob', { name: 'Bob' });
    const second = observedViews();
    const restarted = await started([second.projection]);
    await caughtUp(restarted, log);
    expect(second.batches.flat().map((event) => event.position)).toEqual([bob.position - 1, bob.position]);
  });

  it('waits for a position by notification, and answers false when it is not reached in time', async () => {
    const runner = await started([contactViewsProjection]);
    const waiting = runner.waitForPosition(2, 5000);
    await log.report('telegram', 'ann', { name: 'Ann' });
    expect(await waiting).toBe(true);
    expect(await runner.waitForPosition(99, 50)).toBe(false);
  });

  it('lets another process wait on the stored checkpoints', async () => {
    await started([contactViewsProjection, contactSearchProjection]);
    const waiting = waitForCheckpoints(store, ['contact-views', 'contact-search'], 2, 5000);
    await log.report('telegram', 'ann', { name: 'Ann' });
    expect(await waiting).toBe(true);
    expect(await waitForCheckpoints(store, ['contact-views', 'contact-search'], 3, 100)).toBe(false);
  });

  it('stops a failing projection at its batch, logs and retries it without skipping, and holds back no other', async () => {
    const ann = await log.report('telegram', 'ann', { name: 'Ann' });
    const failing = observedViews();
    const runner = await started([failing.projection, contactSearchProjection]);
    await caughtUp(runner, log);

    failing.control.failing = true;
    const bob = await log.report('telegram', 'bob', { name: 'Bob' });
    await waitForCheckpoints(store, ['contact-search'], bob.position, 5000);
    while (failing.control.attempts < 4) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await runner.checkpoints()).toEqual({ 'observed-views': ann.position, 'contact-search': bob.position });
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(errors[0]).toEqual(new Error('poison event'));

    failing.control.failing = false;
    expect(await runner.waitForPosition(bob.position, 5000)).toBe(true);
    expect(await store.collection(CONTACT_VIEWS_COLLECTION).count({ _id: bob.contactId })).toBe(1);
  });

  it('halves its batches while the store does not answer them in time, and grows them back after', async () => {
    for (let i = 0; i < 40; i++) await log.report('telegram', `slow-${i}`, { name: `Slow ${i}` });
    const sizes: number[] = [];
    // A store that times out on any batch over 5 events: retried at the same size, it never would.
    const slowStore: Projection = {
      ...contactViewsProjection,
      name: 'slow-store-views',
      async applyBatch(events, db) {
        sizes.push(events.length);
        if (events.length > 5) throw new DocumentStoreUnavailableError('the read-model database did not answer in time');
        await contactViewsProjection.applyBatch(events, db);
      },
    };
    const runner = await started([slowStore], { batchSize: 32, retryDelayMs: { first: 1, max: 5 }, logger: { error: () => undefined } });
    await caughtUp(runner, log);
    expect(sizes.slice(0, 4)).toEqual([32, 16, 8, 4]);
    expect(Math.max(...sizes.slice(4))).toBeLessThanOrEqual(8);
    expect(await store.collection(CONTACT_VIEWS_COLLECTION).count({})).toBe(40);
  });

  it('finishes the batch in flight before stop resolves', async () => {
    await log.report('telegram', 'ann', { name: 'Ann' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    const slow: Projection = {
      ...contactViewsProjection,
      async applyBatch(events, db) {
        entered();
        await gate;
        await contactViewsProjection.applyBatch(events, db);
      },
    };
    const runner = await started([slow]);
    await inFlight;
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await runner.checkpoints()).toEqual({ 'contact-views': await log.head() });
  });

  it('reports the progress of a catch-up', async () => {
    for (let i = 0; i < 5; i++) await log.report('telegram', `t-${i}`, { name: `Person ${i}` });
    const reports: ProjectionProgress[] = [];
    const runner = await started([contactViewsProjection], { onProgress: (progress) => reports.push(progress) });
    await caughtUp(runner, log);
    // The report follows the checkpoint: it reads the head first.
    for (let waited = 0; reports.length === 0 && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(reports[0]).toEqual({ projection: 'contact-views', position: 10, head: 10, eventsPerSecond: expect.any(Number) });
    expect(reports[0]!.eventsPerSecond).toBeGreaterThan(0);
  });

  describe('a first start over a long log', () => {
    /** The contact views, recording for each batch whether a rebuild (owned collections) or the live loop applied it. */
    const appliedBy = () => {
      const batches: Array<'rebuild' | 'live'> = [];
      const projection: Projection = {
        ...contactViewsProjection,
        async applyBatch(events, db) {
          batches.push(db.owned ? 'rebuild' : 'live');
          await contactViewsProjection.applyBatch(events, db);
        },
      };
      return { projection, batches };
    };
    const options = { rebuildFromEmptyAt: 1, logger: { error: (_message: string, error: unknown) => errors.push(error) }, retryDelayMs: { first: 10, max: 50 } };

    it('rebuilds a projection that has applied nothing, then follows the log live: the read model a live catch-up makes', async () => {
      await fillBusyLog(log);
      // What a first start killed during its rebuild left.
      await store.collection<{ _id: string; position: number }>(`${CONTACT_VIEWS_COLLECTION}__first_start`).insertMany([{ _id: 'left-by-a-killed-start', position: 1 }]);
      const liveStore = await open();
      const liveCatchUp = new ProjectionRunner(log.store, liveStore, [contactViewsProjection], { ...options, rebuildFromEmptyAt: Infinity });
      runners.push(liveCatchUp);
      await liveCatchUp.start();
      await caughtUp(liveCatchUp, log);

      const { projection, batches } = appliedBy();
      const runner = await started([projection], options);
      await caughtUp(runner, log);
      expect(batches.length).toBeGreaterThan(0);
      expect(new Set(batches)).toEqual(new Set(['rebuild']));
      expect(await snapshotOf(store, [CONTACT_VIEWS_COLLECTION])).toEqual(await snapshotOf(liveStore, [CONTACT_VIEWS_COLLECTION]));
      expect((await store.listCollections()).filter((name) => name.includes('__'))).toEqual([]);

      const late = await log.report('telegram', 'late', { name: 'Late' });
      expect(await runner.waitForPosition(late.position, 5000)).toBe(true);
      expect(batches.at(-1)).toBe('live');
      expect(await store.collection(CONTACT_VIEWS_COLLECTION).findOne({ _id: late.contactId })).toMatchObject({ fields: { name: { value: 'Late' } } });
      expect(errors).toEqual([]);
    });

    it('restarts from its checkpoint without rebuilding, and a stop during the rebuild drops it', async () => {
      await fillBusyLog(log);
      const first = appliedBy();
      const runner = await started([first.projection], options);
      await caughtUp(runner, log);
      await runner.stop();
      const again = appliedBy();
      await started([again.projection], options);
      await log.report('telegram', 'after-restart', { name: 'After' });
      await caughtUp(runners.at(-1)!, log);
      expect(new Set(again.batches)).toEqual(new Set(['live']));

      const stopped = await open();
      const interrupted = new ProjectionRunner(log.store, stopped, [contactViewsProjection], { ...options, batchSize: 1 });
      await interrupted.start();
      await interrupted.stop();
      expect((await stopped.listCollections()).filter((name) => name.includes('__'))).toEqual([]);
      expect((await interrupted.checkpoints())['contact-views']).toBe(0);
      expect(errors).toEqual([]);
    });
  });
});
