import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { DocumentStore } from '../../../document-store/document-store.port.js';
import { describeWithDocumentStores, snapshotOf } from '../../../document-store/testing/document-store-targets.js';
import { FailingDocumentStore } from '../../../document-store/testing/failing-document-store.js';
import { ContactLog } from '../../../contacts/testing/contact-log.js';
import { projectionCollections } from '../../../projections/projection.js';
import type { ProjectionRunner } from '../../../projections/projection-runner.js';
import { rebuildProjection } from '../../../projections/rebuild-projection.js';
import { caughtUp, testRunner } from '../../../projections/testing/run-projections.js';
import { rebuildCrashingWrite, rebuildLosingAnswer } from '../../../projections/testing/faulty-rebuilds.js';
import { MAX_CONTACTS_PER_KEY } from '../../merge-rules.js';
import { mergeSuggestionIdOf } from '../../merge-suggestion.js';
import { ProfileLog } from '../../testing/profile-log.js';
import { MERGE_SUGGESTIONS_COLLECTION, mergeSuggestionsProjection, type MergeSuggestionDocument } from './merge-suggestions.projection.js';

describeWithDocumentStores('the merge-suggestions projection', (open) => {
  let log: ContactLog;
  let profiles: ProfileLog;
  let store: DocumentStore;
  let runner: ProjectionRunner | undefined;

  beforeEach(async () => {
    log = ContactLog.open();
    profiles = new ProfileLog(log);
    store = await open();
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await log.close();
  });

  async function project(on: DocumentStore = store, errors: unknown[] = []): Promise<void> {
    if (!runner) {
      runner = testRunner(log, on, [mergeSuggestionsProjection], errors);
      await runner.start();
    }
    await caughtUp(runner, log);
  }

  async function shown(): Promise<Array<Pick<MergeSuggestionDocument, 'contactIds' | 'reason'>>> {
    const docs = await store.collection<MergeSuggestionDocument>(MERGE_SUGGESTIONS_COLLECTION).find({}, { sort: { _id: 1 } });
    return docs.map(({ contactIds, reason }) => ({ contactIds, reason }));
  }
  const pair = (a: string, b: string, reason: string) => ({ contactIds: [a, b].sort(), reason });

  it('suggests contacts of different channels with the same phone or e-mail, with the reason', async () => {
    const whatsapp = (await log.report('whatsapp', '+1 555 010 0001', { name: 'Ann' })).contactId;
    const telegram = (await log.report('telegram', 'ann-tg', { name: 'Annie', phone: '+1 (555) 010-0001' })).contactId;
    const email = (await log.report('email', 'Ann@Mail.example.com', {})).contactId;
    const webchat = (await log.report('webchat', 'visitor-1', {})).contactId;
    await log.edit(webchat, { email: 'ann@mail.example.com' });
    await log.report('telegram', 'other-tg', { phone: '+1 555 010 0002' });
    await project();

    expect(await shown()).toEqual(
      expect.arrayContaining([
        pair(whatsapp, telegram, 'same phone number +15550100001'),
        pair(email, webchat, 'same email address ann@mail.example.com'),
      ]),
    );
    expect(await shown()).toHaveLength(2);
  });

  it('never pairs two contacts of the same channel', async () => {
    await log.report('telegram', 'a', { email: 'same@mail.example.com' });
    await log.report('telegram', 'b', { email: 'same@mail.example.com' });
    await project();
    expect(await shown()).toEqual([]);
  });

  it('follows edits: a pair appears when a value starts to match and goes when it stops', async () => {
    const a = (await log.report('whatsapp', '+15550100010', {})).contactId;
    const b = (await log.report('webchat', 'visitor-10', {})).contactId;
    await project();
    expect(await shown()).toEqual([]);
    await log.edit(b, { phone: '+1 555 010 0010' });
    await project();
    expect(await shown()).toEqual([pair(a, b, 'same phone number +15550100010')]);
    await log.edit(b, { phone: null });
    await project();
    expect(await shown()).toEqual([]);
  });

  it('a pair vanishes when both are attached to one profile, and comes back when one is detached', async () => {
    const a = (await log.report('whatsapp', '+15550100020', {})).contactId;
    const b = (await log.report('sms', '+15550100020', {})).contactId;
    const profile = await profiles.create('Ann Lee');
    await profiles.attach(a, profile);
    await project();
    expect(await shown()).toHaveLength(1);
    await profiles.attach(b, profile);
    await project();
    expect(await shown()).toEqual([]);
    await profiles.detach(a, profile);
    await project();
    expect(await shown()).toHaveLength(1);
  });

  it('a pair vanishes when either contact is deleted', async () => {
    const a = (await log.report('whatsapp', '+15550100030', {})).contactId;
    await log.report('viber', '+15550100030', {});
    await project();
    expect(await shown()).toHaveLength(1);
    await profiles.deleteContact(a);
    await project();
    expect(await shown()).toEqual([]);
  });

  it('a dismissed pair stays away: after a new shared value, and after a rebuild of the read model', async () => {
    const a = (await log.report('whatsapp', '+15550100040', {})).contactId;
    const b = (await log.report('email', 'dismissed@mail.example.com', {})).contactId;
    await log.edit(b, { phone: '+15550100040' });
    const other = (await log.report('telegram', 'kept', { phone: '+15550100040' })).contactId;
    await project();
    expect(await shown()).toHaveLength(3);
    await profiles.dismiss(a, b);
    await project();
    const remaining = [pair(a, other, 'same phone number +15550100040'), pair(b, other, 'same phone number +15550100040')];
    expect(await shown()).toEqual(expect.arrayContaining(remaining));
    expect(await shown()).toHaveLength(2);
    await log.edit(a, { email: 'dismissed@mail.example.com' });
    await project();
    expect((await shown()).map((s) => s.contactIds)).not.toContainEqual([a, b].sort());

    await runner!.stop();
    runner = undefined;
    await rebuildProjection(log.store, store, mergeSuggestionsProjection);
    expect(await shown()).toHaveLength(2);
    expect(await store.collection(MERGE_SUGGESTIONS_COLLECTION).findOne({ _id: mergeSuggestionIdOf('acme', [a, b]) })).toBeNull();
  });

  it(`a value shared by more than ${MAX_CONTACTS_PER_KEY} contacts suggests nothing, until fewer share it`, async () => {
    const ids: string[] = [];
    const channels = ['whatsapp', 'viber', 'sms', 'telegram', 'webchat', 'instagram', 'messenger', 'email'] as const;
    for (let i = 0; i <= MAX_CONTACTS_PER_KEY; i++) {
      const channel = channels[i % channels.length]!;
      const id = channel === 'email' ? `desk${i}@mail.example.com` : channel === 'whatsapp' || channel === 'viber' || channel === 'sms' ? `+1555010${String(1000 + i)}` : `switch-${i}`;
      const { contactId } = await log.report(channel, id, { email: 'desk@mail.example.com' });
      ids.push(contactId);
      if (i === 1) {
        await project();
        expect(await shown()).toHaveLength(1);
      }
    }
    await project();
    expect(await shown()).toEqual([]);
    await log.edit(ids[0]!, { email: null });
    await project();
    expect((await shown()).length).toBeGreaterThan(0);
    expect((await shown()).every((s) => s.reason === 'same email address desk@mail.example.com' && !s.contactIds.includes(ids[0]!))).toBe(true);
  });

  it('a batch delivered again changes no document, and a write failing mid-batch is retried to what a rebuild gives', async () => {
    const a = (await log.report('whatsapp', '+15550100050', {})).contactId;
    const b = (await log.report('sms', '+15550100050', { email: 'x@mail.example.com' })).contactId;
    await log.report('email', 'x@mail.example.com', {});
    const profile = await profiles.create('Ann Lee');
    await profiles.attach(a, profile);
    await profiles.dismiss(a, b);
    await log.report('telegram', 'late', { phone: '+15550100050' });

    const failing = new FailingDocumentStore(store, 2);
    const errors: unknown[] = [];
    await project(failing, errors);
    expect(failing.failures).toBe(1);
    await runner!.stop();
    runner = undefined;
    const live = await snapshotOf(store, mergeSuggestionsProjection.collections);
    expect(live[MERGE_SUGGESTIONS_COLLECTION]!.length).toBeGreaterThan(0);

    const events = await log.store.readAll();
    const db = projectionCollections(store, mergeSuggestionsProjection);
    await mergeSuggestionsProjection.applyBatch(events, db);
    await mergeSuggestionsProjection.applyBatch(events.slice(2, 6), db);
    expect(await snapshotOf(store, mergeSuggestionsProjection.collections)).toEqual(live);
    await rebuildProjection(log.store, store, mergeSuggestionsProjection);
    expect(await snapshotOf(store, mergeSuggestionsProjection.collections)).toEqual(live);
  });

  it.each([
    ['the answer to its first batch lost', (on: DocumentStore) => rebuildLosingAnswer(mergeSuggestionsProjection, on)],
    ['the insert of its suggestions crashing half-way', (on: DocumentStore) => rebuildCrashingWrite(mergeSuggestionsProjection, on, 2)],
    ['the insert of its contacts crashing half-way', (on: DocumentStore) => rebuildCrashingWrite(mergeSuggestionsProjection, on, 3)],
  ])('a rebuild with %s, applied again, gives the live read model', async (_, faulty) => {
    const a = (await log.report('whatsapp', '+15550100060', { email: 'lee@mail.example.com' })).contactId;
    const b = (await log.report('email', 'lee@mail.example.com', { phone: '+15550100060' })).contactId;
    const c = (await log.report('telegram', 'lee-tg', { phone: '+15550100060' })).contactId;
    await log.edit(c, { phone: '+15550100061' });
    await log.report('sms', '+15550100061', {});
    await profiles.dismiss(a, b);
    await log.edit(c, { phone: '+15550100060' });
    await log.report('webchat', 'visitor-lee', { email: 'lee@mail.example.com' });
    await project();
    await runner!.stop();
    runner = undefined;
    const live = await snapshotOf(store, mergeSuggestionsProjection.collections);
    expect(live[MERGE_SUGGESTIONS_COLLECTION]!.length).toBeGreaterThan(2);

    const { store: through, projection, batchSize, retried } = faulty(store);
    await rebuildProjection(log.store, through, projection, { batchSize });
    expect(retried()).toBe(true);
    expect(await snapshotOf(store, mergeSuggestionsProjection.collections)).toEqual(live);
  });
});
