import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { DocumentStore } from '../../../document-store/document-store.port.js';
import type { ProjectionRunner } from '../../../projections/projection-runner.js';
import { AGENT, ContactLog } from '../../testing/contact-log.js';
import { describeWithDocumentStores } from '../../../document-store/testing/document-store-targets.js';
import { caughtUp, testRunner } from '../../../projections/testing/run-projections.js';
import { CONTACT_VIEWS_COLLECTION, contactViewsProjection, type ContactViewDocument } from './contact-views.projection.js';
import { verifyContactViews } from './verify-contact-views.js';

describeWithDocumentStores('verify: the contact views against a fresh fold of the log', (open) => {
  let log: ContactLog;
  let store: DocumentStore;
  let runner: ProjectionRunner;
  let ann: string;
  let bob: string;

  beforeEach(async () => {
    log = ContactLog.open();
    store = await open();
    runner = testRunner(log, store, [contactViewsProjection]);
    ann = (await log.report('whatsapp', '+15551234567', { name: 'Ann' })).contactId;
    bob = (await log.report('telegram', 'bob', { name: 'Bob' }, { workspace: 'globex' })).contactId;
    await log.grantEditing([AGENT.id]);
    await log.edit(ann, { name: 'Ann Lee', email: 'ann@example.com' }, { actor: AGENT });
    await runner.start();
    await caughtUp(runner, log);
    await runner.stop();
  });
  afterEach(() => log.close());

  it('finds no difference in views the projection wrote', async () => {
    expect(await verifyContactViews(log.store, store)).toEqual({ readModel: 'contact_views', position: await log.head(), checked: 2, skipped: 0, differences: [] });
  });

  it('reports a changed, a missing and an unexpected document', async () => {
    const views = store.collection<ContactViewDocument>(CONTACT_VIEWS_COLLECTION);
    await views.updateOne({ _id: ann }, { $set: { 'fields.name.value': 'Tampered' } });
    await views.deleteMany({ _id: bob });
    const forged = (await views.findOne({ _id: ann }))!;
    await views.bulkWrite([{ replaceOne: { filter: { _id: 'forged-contact' }, replacement: { ...forged, _id: 'forged-contact', id: 'forged-contact' }, upsert: true } }]);

    const { differences } = await verifyContactViews(log.store, store);
    expect(differences).toEqual(
      expect.arrayContaining([
        { id: ann, problem: 'different', properties: ['fields'] },
        { id: bob, problem: 'missing' },
        { id: 'forged-contact', problem: 'unexpected' },
      ]),
    );
    expect(differences).toHaveLength(3);
  });
});
