import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { contactDecider, contactStreamId } from '../../index.js';
import { contactViewFrom } from './contact-view.js';
import type { DocumentStore } from '../../../document-store/document-store.port.js';
import type { ProjectionRunner } from '../../../projections/projection-runner.js';
import { ContactLog, AGENT } from '../../testing/contact-log.js';
import { describeWithDocumentStores } from '../../../document-store/testing/document-store-targets.js';
import { caughtUp, testRunner } from '../../../projections/testing/run-projections.js';
import { CONTACT_VIEWS_COLLECTION, contactViewsProjection, type ContactViewDocument } from './contact-views.projection.js';
import { findContactViews } from './find-contact-views.js';

describeWithDocumentStores('the contact-views projection', (open) => {
  let log: ContactLog;
  let store: DocumentStore;
  let runner: ProjectionRunner;

  beforeEach(async () => {
    log = ContactLog.open();
    store = await open();
    runner = testRunner(log, store, [contactViewsProjection]);
  });
  afterEach(async () => {
    await runner.stop();
    await log.close();
  });

  async function expectedDocumentOf(contactId: string): Promise<ContactViewDocument> {
    const events = await log.store.readStream(contactStreamId(contactId));
    const view = contactViewFrom(events.filter(contactDecider.isEvent))!;
    return { _id: contactId, ...view, position: events.at(-1)!.position };
  }

  it('stores for each contact the view its events fold to, with the position of its last event', async () => {
    const ann = await log.report('whatsapp', '+15551234567', { name: 'Ann', email: 'ann@example.com' });
    const bob = await log.report('telegram', 'bob-42', { name: 'Bob', language: 'en' }, { workspace: 'globex' });
    await log.grantEditing([AGENT.id]);
    await log.edit(ann.contactId, { name: 'Ann Lee', email: null }, { actor: AGENT });
    await runner.start();
    await caughtUp(runner, log);
    await log.restore(ann.contactId, ['email']);
    await log.report('telegram', 'bob-42', { name: 'Robert' }, { workspace: 'globex' });
    await caughtUp(runner, log);

    const stored = await store.collection<ContactViewDocument>(CONTACT_VIEWS_COLLECTION).find({}, { sort: { _id: 1 } });
    const expected = [await expectedDocumentOf(ann.contactId), await expectedDocumentOf(bob.contactId)].sort((a, b) => (a._id < b._id ? -1 : 1));
    expect(stored).toEqual(expected);
    expect(stored.find((view) => view._id === ann.contactId)).toMatchObject({
      version: 5,
      fields: { name: { value: 'Ann Lee', channelValue: 'Ann', edited: true, editedBy: AGENT.id }, email: { value: 'ann@example.com', edited: false } },
    });
  });

  it('skips events of other streams but moves its checkpoint past them', async () => {
    await log.report('webchat', 'visitor-1', { name: 'Visitor' });
    const grant = await log.grantEditing([AGENT.id]);
    await runner.start();
    await caughtUp(runner, log);

    expect(await runner.checkpoints()).toEqual({ 'contact-views': grant });
    expect(await store.collection(CONTACT_VIEWS_COLLECTION).count({})).toBe(1);
  });

  it('finds views by id within the workspace, in the order asked, without the storage fields', async () => {
    const ann = await log.report('whatsapp', '+15551234567', { name: 'Ann' });
    const bob = await log.report('telegram', 'bob-42', { name: 'Bob' });
    const foreign = await log.report('telegram', 'eve-1', { name: 'Eve' }, { workspace: 'globex' });
    await runner.start();
    await caughtUp(runner, log);

    const views = await findContactViews(store, 'acme', [bob.contactId, foreign.contactId, 'no-such-contact', ann.contactId]);
    expect(views.map((view) => view.id)).toEqual([bob.contactId, ann.contactId]);
    const { position: _position, ...expectedBob } = await expectedDocumentOf(bob.contactId);
    const { _id, ...bobView } = expectedBob;
    expect(views[0]).toEqual(bobView);
  });
});
