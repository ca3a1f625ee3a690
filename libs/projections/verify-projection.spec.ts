import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { DocumentStore } from '../document-store/document-store.port.js';
import { describeWithDocumentStores } from '../document-store/testing/document-store-targets.js';
import { CONTACT_PROJECTIONS } from '../contacts/projections/contact-projections.js';
import { CONTACT_VIEWS_COLLECTION } from '../contacts/projections/contact-views/contact-views.projection.js';
import { CONTACT_HISTORY_COLLECTION } from '../contacts/projections/contact-history/contact-history.projection.js';
import { AGENT, ContactLog } from '../contacts/testing/contact-log.js';
import { advanceCheckpoint, readCheckpoints } from './checkpoints.js';
import { projectionCollections } from './projection.js';
import { caughtUp, testRunner } from './testing/run-projections.js';
import { verifyProjection } from './verify-projection.js';

describeWithDocumentStores('verifyProjection: the stored read models against a fresh fold of the log', (open) => {
  let log: ContactLog;
  let store: DocumentStore;
  let ann: string;
  let checkpoint: number;

  beforeEach(async () => {
    log = ContactLog.open();
    store = await open();
    ann = (await log.report('whatsapp', '+15551234567', { name: 'Ann', email: 'ann@example.com' })).contactId;
    await log.report('telegram', 'bob', { name: 'Bob' });
    await log.grantEditing([AGENT.id]);
    await log.edit(ann, { name: 'Ann Lee' }, { actor: AGENT });
    await log.tag(ann, 'VIP');
    const runner = testRunner(log, store, CONTACT_PROJECTIONS);
    await runner.start();
    await caughtUp(runner, log);
    await runner.stop();
    checkpoint = await log.head();
  });
  afterEach(() => log.close());

  /** What a running projection leaves between writing a batch and recording its checkpoint: the batch applied, the checkpoint behind. */
  async function applyWithoutCheckpoint(): Promise<void> {
    const events = await log.store.readAll({ after: checkpoint });
    for (const projection of CONTACT_PROJECTIONS) await projection.applyBatch(events, projectionCollections(store, projection));
  }

  const verifyAll = (settleMs = 3000) => Promise.all(CONTACT_PROJECTIONS.map((projection) => verifyProjection(log.store, store, projection, { settleMs })));

  it('finds no difference in what the projections wrote, folding each up to its checkpoint', async () => {
    for (const result of await verifyAll()) {
      expect(result).toMatchObject({ position: checkpoint, skipped: 0, differences: [] });
      expect(result.checked).toBeGreaterThan(0);
    }
  });

  it("skips, and counts, the newer documents of a projection still running, reporting none of them", async () => {
    await log.edit(ann, { name: 'Ann Lee-Smith' }, { actor: AGENT });
    await log.report('viber', '+15550000001', { name: 'Cy' });
    await applyWithoutCheckpoint();

    const results = await verifyAll();
    expect(results.map(({ projection, position, differences }) => ({ projection, position, differences }))).toEqual(
      CONTACT_PROJECTIONS.map(({ name }) => ({ projection: name, position: checkpoint, differences: [] })),
    );
    const skipped = Object.fromEntries(results.map((result) => [result.projection, result.skipped]));
    expect(skipped).toMatchObject({ 'contact-views': 2, 'contact-search': 2, 'tag-usage': 0 });
    expect(skipped['contact-history']).toBeGreaterThan(2);
  });

  it('waits for a running projection to record its checkpoint before reporting what its batch changed without a newer position', async () => {
    // A deletion removes the view and erases the trail's older entries: neither records a newer position.
    await log.delete(ann);
    await applyWithoutCheckpoint();
    const head = await log.head();

    // Stopped there, the projection leaves documents that differ from the log at its checkpoint.
    const stopped = await verifyAll(200);
    expect(stopped.find((result) => result.projection === 'contact-views')!.differences).toEqual([{ collection: CONTACT_VIEWS_COLLECTION, id: ann, problem: 'missing' }]);
    const history = stopped.find((result) => result.projection === 'contact-history')!.differences;
    expect(history.length).toBeGreaterThan(0);
    expect(history.every(({ collection, problem, properties }) => collection === CONTACT_HISTORY_COLLECTION && problem === 'different' && properties!.includes('erased'))).toBe(true);

    // Running, it records its checkpoint a moment later: the differences are compared again past it, and settle.
    const logId = await log.store.logId();
    const recorded = setTimeout(() => {
      for (const { name } of CONTACT_PROJECTIONS) void advanceCheckpoint(store, name, head, logId);
    }, 300);
    try {
      const running = await verifyAll();
      expect(running.map(({ differences }) => differences)).toEqual(CONTACT_PROJECTIONS.map(() => []));
      expect(running.find((result) => result.projection === 'contact-views')!.position).toBe(head);
    } finally {
      clearTimeout(recorded);
    }
    expect(Object.values(await readCheckpoints(store, CONTACT_PROJECTIONS.map(({ name }) => name)))).toEqual(CONTACT_PROJECTIONS.map(() => head));
  });

  it('reports the checkpoint of read models that belong to another log', async () => {
    await store.collection('projection_checkpoints').updateOne({ _id: 'tag-usage' }, { $set: { logId: 'another-log' } });
    const [result] = await Promise.all([verifyProjection(log.store, store, CONTACT_PROJECTIONS.find(({ name }) => name === 'tag-usage')!)]);
    expect(result!.differences).toEqual([{ collection: 'projection_checkpoints', id: 'tag-usage', problem: 'different', properties: ['logId'] }]);
  });
});
