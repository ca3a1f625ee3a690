import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { DocumentStore } from '../document-store/document-store.port.js';
import { CONTACT_PROJECTIONS } from '../contacts/projections/contact-projections.js';
import { CONTACT_VIEWS_COLLECTION, contactViewsProjection } from '../contacts/projections/contact-views/contact-views.projection.js';
import { contactHistoryProjection } from '../contacts/projections/contact-history/contact-history.projection.js';
import type { ProjectionProgress } from './projection-progress.js';
import type { ProjectionRunner } from './projection-runner.js';
import { rebuildProjection } from './rebuild-projection.js';
import { fillBusyLog } from './testing/busy-log.js';
import { ContactLog } from '../contacts/testing/contact-log.js';
import { describeWithDocumentStores, snapshotOf } from '../document-store/testing/document-store-targets.js';
import { caughtUp, testRunner } from './testing/run-projections.js';
import { answerLostOnce } from './testing/faulty-rebuilds.js';

describeWithDocumentStores('rebuilding a projection', (open) => {
  let log: ContactLog;
  let store: DocumentStore;
  let runner: ProjectionRunner;

  beforeEach(async () => {
    log = ContactLog.open();
    await fillBusyLog(log);
    store = await open();
    runner = testRunner(log, store, CONTACT_PROJECTIONS);
    await runner.start();
    await caughtUp(runner, log);
  });
  afterEach(async () => {
    await runner.stop();
    await log.close();
  });

  it('replays the log beside the live collection, which serves until the swap, then swaps in an equal one', async () => {
    const live = await snapshotOf(store, contactViewsProjection.collections);
    const reports: ProjectionProgress[] = [];
    let beforeSwap: Promise<[string[], number]> | undefined;

    await runner.stop();
    const result = await rebuildProjection(log.store, store, contactViewsProjection, {
      onProgress: (progress) => {
        reports.push(progress);
        beforeSwap ??= Promise.all([store.listCollections(), store.collection(CONTACT_VIEWS_COLLECTION).count({})]);
      },
    });

    const head = await log.head();
    // Only its own event types are read; the checkpoint passes over the others.
    const ownEvents = await log.store.readAll({ filter: { eventTypes: [...contactViewsProjection.eventTypes!] } });
    expect(ownEvents.length).toBeLessThan(head);
    expect(result).toEqual({ events: ownEvents.length, position: head, seconds: expect.any(Number) });
    expect(reports.at(-1)).toEqual({ projection: 'contact-views', position: head, head, eventsPerSecond: expect.any(Number) });
    const [collections, liveCount] = await beforeSwap!;
    expect(collections).toEqual(expect.arrayContaining([expect.stringMatching(/^contact_views__rebuild_\d+$/)]));
    expect(liveCount).toBe(live[CONTACT_VIEWS_COLLECTION]!.length);
    expect(await snapshotOf(store, contactViewsProjection.collections)).toEqual(live);
    expect((await store.listCollections()).filter((name) => name.includes('__rebuild_'))).toEqual([]);
    expect((await runner.checkpoints())['contact-views']).toBe(head);
  });

  it.each([
    ['contact-views', contactViewsProjection],
    // Its audit entries are inserted on a batch's first application, upserted when it is applied again.
    ['contact-history', contactHistoryProjection],
  ])('%s: applies the events of a batch the store did not answer in time again, in a smaller batch, and the rebuild goes on', async (_, projection) => {
    const live = await snapshotOf(store, projection.collections);
    const { projection: flaky, sizes } = answerLostOnce(projection);
    await runner.stop();
    const result = await rebuildProjection(log.store, store, flaky, { batchSize: 10 });
    expect(sizes.slice(0, 3)).toEqual([10, 5, 10]);
    expect(result.position).toBe(await log.head());
    expect(await snapshotOf(store, projection.collections)).toEqual(live);
  });

  it('includes what is appended during the rebuild, and the live loop goes on in the swapped-in collections', async () => {
    let appended: Promise<unknown> | undefined;
    const result = await runner.rebuild('contact-history', {
      onProgress: () => (appended ??= log.report('telegram', 'during-rebuild', { name: 'During' })),
    });
    await appended;
    const after = await log.report('telegram', 'after-rebuild', { name: 'After' });
    await caughtUp(runner, log);
    expect(result.position).toBeGreaterThan(0);

    const live = await snapshotOf(store, contactHistoryProjection.collections);
    await rebuildProjection(log.store, store, contactHistoryProjection);
    expect(await snapshotOf(store, contactHistoryProjection.collections)).toEqual(live);
    expect(live.contact_history_state!.map((document) => (document as { _id: string })._id)).toContain(after.contactId);
  });
});
