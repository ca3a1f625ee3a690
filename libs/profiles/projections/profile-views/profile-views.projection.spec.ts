import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentStore } from '../../../document-store/document-store.port.js';
import { describeWithDocumentStores, snapshotOf } from '../../../document-store/testing/document-store-targets.js';
import { FailingDocumentStore } from '../../../document-store/testing/failing-document-store.js';
import { SqliteDocumentStore } from '../../../document-store/sqlite/sqlite-document-store.js';
import { contactViewsProjection, CONTACT_VIEWS_COLLECTION, type ContactViewDocument } from '../../../contacts/projections/contact-views/contact-views.projection.js';
import { ContactLog } from '../../../contacts/testing/contact-log.js';
import { projectionCollections } from '../../../projections/projection.js';
import type { ProjectionRunner } from '../../../projections/projection-runner.js';
import { rebuildProjection } from '../../../projections/rebuild-projection.js';
import { caughtUp, testRunner } from '../../../projections/testing/run-projections.js';
import { rebuildCrashingWrite, rebuildLosingAnswer } from '../../../projections/testing/faulty-rebuilds.js';
import { ProfileLog } from '../../testing/profile-log.js';
import { PROFILE_VIEWS_COLLECTION, profileViewsProjection, type ProfileViewDocument } from './profile-views.projection.js';

describeWithDocumentStores('the profile-views projection', (open) => {
  let log: ContactLog;
  let profiles: ProfileLog;
  let store: DocumentStore;
  let runner: ProjectionRunner;

  beforeEach(async () => {
    log = ContactLog.open();
    profiles = new ProfileLog(log);
    store = await open();
  });
  afterEach(async () => {
    await runner?.stop();
    await log.close();
  });

  async function project(on: DocumentStore = store, errors: unknown[] = [], projections = [profileViewsProjection, contactViewsProjection]): Promise<void> {
    runner = testRunner(log, on, projections, errors);
    await runner.start();
    await caughtUp(runner, log);
  }

  const profileDoc = (id: string) => store.collection<ProfileViewDocument>(PROFILE_VIEWS_COLLECTION).findOne({ _id: id });

  /** A log with two profiles, a move, notes, an edit of an attached contact, and a detach. */
  async function busyLog() {
    const ann = (await log.report('whatsapp', '+15551230001', { name: 'Ann', email: 'ann@mail.example.com' })).contactId;
    const bob = (await log.report('telegram', 'bob-1', { name: 'Bob' })).contactId;
    const first = await profiles.create('Household Lee');
    const second = await profiles.create('Ann Lee');
    await profiles.attach(ann, first);
    await profiles.attach(bob, first);
    await profiles.profile({ type: 'AddProfileNote', profileId: first, noteId: 'n-1', text: 'Prefers e-mail' });
    await log.edit(ann, { name: 'Annabel' });
    await profiles.attach(ann, second);
    await profiles.profile({ type: 'RenameProfile', profileId: second, name: 'Annabel Lee' });
    await profiles.detach(bob, first);
    await profiles.attach(bob, first);
    return { ann, bob, first, second };
  }

  it('folds the profile and derives its contacts and search tokens from the contact streams', async () => {
    const { ann, bob, first, second } = await busyLog();
    await project();

    expect(await profileDoc(first)).toMatchObject({
      name: 'Household Lee',
      notes: [{ id: 'n-1', text: 'Prefers e-mail', author: 'owner-1', at: expect.any(String) }],
      contactIds: [bob],
      formerContactIds: [ann],
      version: 2,
    });
    const annabel = await profileDoc(second);
    expect(annabel).toMatchObject({ name: 'Annabel Lee', contactIds: [ann], formerContactIds: [], version: 2 });
    expect(annabel!.tokens).toEqual(expect.arrayContaining(['annabel', 'lee', 'ann@mail.example.com', '15551230001']));
    expect(annabel!.tokens).not.toContain('bob');
  });

  it('agrees with the contact views: every contact is listed by exactly the profile its view names', async () => {
    await busyLog();
    await project();
    const views = await store.collection<ContactViewDocument>(CONTACT_VIEWS_COLLECTION).find({});
    const docs = await store.collection<ProfileViewDocument>(PROFILE_VIEWS_COLLECTION).find({});
    for (const view of views) {
      expect(docs.filter((doc) => doc.contactIds.includes(view.id)).map((doc) => doc._id)).toEqual(view.profileId ? [view.profileId] : []);
    }
  });

  it('given concurrent attaches of one contact to two profiles, then one link, on which the contact and profile views agree (25 runs)', async () => {
    for (let run = 0; run < 25; run++) {
      const { contactId } = await log.report('webchat', `visitor-${run}`, { name: 'Racer' });
      const [a, b] = await Promise.all([profiles.create('Racer A'), profiles.create('Racer B')]);
      await Promise.all([profiles.attach(contactId, a), profiles.attach(contactId, b)]);
      const stream = await log.store.readStream(`contact-${contactId}`);
      expect(stream.filter((event) => event.type === 'ProfileAttached').length - stream.filter((event) => event.type === 'ProfileDetached').length).toBe(1);
    }
    await project();
    const views = await store.collection<ContactViewDocument>(CONTACT_VIEWS_COLLECTION).find({});
    const docs = await store.collection<ProfileViewDocument>(PROFILE_VIEWS_COLLECTION).find({});
    expect(views).toHaveLength(25);
    for (const view of views) {
      expect(view.profileId).not.toBeNull();
      expect(docs.filter((doc) => doc.contactIds.includes(view.id)).map((doc) => doc._id)).toEqual([view.profileId]);
    }
  });

  it('drops a deleted contact from its profile and from the search tokens (ContactDeleted, handled by name)', async () => {
    const { ann, second } = await busyLog();
    await project();
    await profiles.deleteContact(ann);
    await caughtUp(runner, log);
    const doc = await profileDoc(second);
    expect(doc).toMatchObject({ contactIds: [], formerContactIds: [] });
    expect(doc!.tokens).toEqual(['annabel', 'lee']);
  });

  it('a batch delivered again changes no document, and the live read model equals a rebuild', async () => {
    await busyLog();
    await project();
    await runner.stop();
    const before = await snapshotOf(store, profileViewsProjection.collections);
    const events = await log.store.readAll();
    const db = projectionCollections(store, profileViewsProjection);
    await profileViewsProjection.applyBatch(events, db);
    await profileViewsProjection.applyBatch(events.slice(3, 9), db);
    expect(await snapshotOf(store, profileViewsProjection.collections)).toEqual(before);
    await rebuildProjection(log.store, store, profileViewsProjection);
    expect(await snapshotOf(store, profileViewsProjection.collections)).toEqual(before);
  });

  it('a write failing between the contacts and the profiles is retried to the same read model as a rebuild', async () => {
    await busyLog();
    // The 1st bulk write of the batch is the contacts', the 2nd the profiles': it fails half-way.
    const failing = new FailingDocumentStore(store, 2);
    const errors: unknown[] = [];
    await project(failing, errors, [profileViewsProjection]);
    expect(failing.failures).toBe(1);
    expect(errors).toHaveLength(1);
    const live = await snapshotOf(store, profileViewsProjection.collections);
    await rebuildProjection(log.store, store, profileViewsProjection);
    expect(await snapshotOf(store, profileViewsProjection.collections)).toEqual(live);
  });

  it.each([
    ['the answer to its first batch lost', (on: DocumentStore) => rebuildLosingAnswer(profileViewsProjection, on)],
    ['its first write crashing half-way', (on: DocumentStore) => rebuildCrashingWrite(profileViewsProjection, on, 1)],
  ])('a rebuild with %s, applied again, gives the live read model', async (_, faulty) => {
    await busyLog();
    await project(store, [], [profileViewsProjection]);
    await runner.stop();
    const live = await snapshotOf(store, profileViewsProjection.collections);

    const { store: through, projection, batchSize, retried } = faulty(store);
    await rebuildProjection(log.store, through, projection, { batchSize });
    expect(retried()).toBe(true);
    expect(await snapshotOf(store, profileViewsProjection.collections)).toEqual(live);
  });
});

it("a rebuild leaves no byte of a deleted contact in the store's files, although it held the erased documents back", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'profile-views-shred-'));
  const log = ContactLog.open();
  const store = SqliteDocumentStore.open(join(dir, 'read-models.sqlite'));
  try {
    const profiles = new ProfileLog(log);
    const email = 'zelda.quist@shred.example.com';
    const zelda = (await log.report('whatsapp', '+15557654321', { name: 'Zelda Quist', email })).contactId;
    const other = (await log.report('telegram', 'other-1', { name: 'Other Person' })).contactId;
    await profiles.attach(other, await profiles.create('Household Other'));
    await profiles.deleteContact(zelda);

    // Batches of 2: the attach sends every held contact document, Zelda's too (her profile-less
    // document asked for by nobody); her deletion, batches later, touches no profile.
    await rebuildProjection(log.store, store, profileViewsProjection, { batchSize: 2 });
    const files = readdirSync(dir).map((name) => ({ name, holds: readFileSync(join(dir, name)).includes(Buffer.from('zelda')) }));
    expect(files.filter(({ holds }) => holds)).toEqual([]);
    expect(files.length).toBeGreaterThan(0);
  } finally {
    await store.close();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
