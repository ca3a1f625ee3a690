import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { DocumentStore } from '../document-store/document-store.port.js';
import { CONTACT_PROJECTIONS } from '../contacts/projections/contact-projections.js';
import { CONTACT_VIEWS_COLLECTION } from '../contacts/projections/contact-views/contact-views.projection.js';
import { ContactLog } from '../contacts/testing/contact-log.js';
import { describeWithDocumentStores } from '../document-store/testing/document-store-targets.js';
import { advanceCheckpoint, CheckpointOfAnotherLogError, checkpointsOf } from './checkpoints.js';
import { checkReadModels, claimReadModels, ReadModelsRefusedError } from './read-model-identity.js';
import { rebuildProjection } from './rebuild-projection.js';
import { caughtUp, testRunner } from './testing/run-projections.js';

describeWithDocumentStores('read models bound to their log', (open) => {
  let log: ContactLog;
  let other: ContactLog;
  let store: DocumentStore;

  beforeEach(async () => {
    [log, other] = [ContactLog.open(), ContactLog.open()];
    store = await open();
  });
  afterEach(async () => {
    await Promise.all([log.close(), other.close()]);
  });

  async function projectedFrom(source: ContactLog): Promise<void> {
    await source.report('telegram', 'ann', { name: 'Ann Lee' });
    await source.report('telegram', 'bob', { name: 'Bob Ray' });
    const runner = testRunner(source, store, CONTACT_PROJECTIONS);
    await runner.start();
    await caughtUp(runner, source);
    await runner.stop();
  }

  it('claims new read models for the log: each checkpoint records its id', async () => {
    const logId = await claimReadModels(log.store, store, CONTACT_PROJECTIONS);

    expect(logId).toBe(await log.store.logId());
    const checkpoints = await checkpointsOf(store).find({}, { sort: { _id: 1 } });
    expect(checkpoints.map((checkpoint) => [checkpoint._id, checkpoint.logId])).toEqual([
      ['contact-history', logId],
      ['contact-search', logId],
      ['contact-views', logId],
      ['tag-usage', logId],
    ]);
    expect((await checkReadModels(log.store, store, CONTACT_PROJECTIONS)).problems).toEqual([]);
  });

  it("refuses another log's read models, naming both log ids, and a runner on them does not start", async () => {
    await projectedFrom(other);
    const [mine, theirs] = [await log.store.logId(), await other.store.logId()];

    const check = await checkReadModels(log.store, store, CONTACT_PROJECTIONS);
    expect(check.problems.map((problem) => [problem.projection, problem.kind])).toEqual([
      ['contact-views', 'another-log'],
      ['contact-search', 'another-log'],
      ['contact-history', 'another-log'],
      ['tag-usage', 'another-log'],
    ]);
    const start = testRunner(log, store, CONTACT_PROJECTIONS).start('the test database');
    await expect(start).rejects.toBeInstanceOf(ReadModelsRefusedError);
    await expect(start).rejects.toThrow(new RegExp(`the test database.*${mine}[^]*log id ${theirs}[^]*npm run cli -- rebuild all`));
  });

  it('refuses a checkpoint beyond the head of the log, and read models that record no log', async () => {
    await projectedFrom(log);
    const logId = await log.store.logId();
    const head = await log.head();
    await checkpointsOf(store).updateOne({ _id: 'contact-search' }, { $set: { position: head + 10 } });
    await checkpointsOf(store).updateOne({ _id: 'contact-history' }, { $unset: { logId: '' } });
    await checkpointsOf(store).deleteOne({ _id: 'contact-views' });

    const check = await checkReadModels(log.store, store, CONTACT_PROJECTIONS);
    expect(check).toMatchObject({ logId, head });
    expect(check.problems).toEqual([
      { projection: 'contact-views', kind: 'unknown-log', position: 0 },
      { projection: 'contact-search', kind: 'beyond-head', position: head + 10, head },
      { projection: 'contact-history', kind: 'unknown-log', position: head },
    ]);
  });

  it("never moves another log's checkpoint; a rebuild makes the read models this log's", async () => {
    await projectedFrom(other);
    const logId = await log.store.logId();
    await expect(advanceCheckpoint(store, 'contact-views', 1, logId)).rejects.toBeInstanceOf(CheckpointOfAnotherLogError);

    await log.report('whatsapp', '+442079460001', { name: 'Cleo Fresh' });
    for (const projection of CONTACT_PROJECTIONS) await rebuildProjection(log.store, store, projection);

    expect((await checkReadModels(log.store, store, CONTACT_PROJECTIONS)).problems).toEqual([]);
    const views = await store.collection<{ _id: string; fields: { name: { value: string } } }>(CONTACT_VIEWS_COLLECTION).find({});
    expect(views.map((view) => view.fields.name.value)).toEqual(['Cleo Fresh']);
  });
});
