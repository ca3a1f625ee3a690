import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { DocumentStore } from '../../../document-store/document-store.port.js';
import { InvalidCursorError } from '../../../document-store/keyset-cursor.js';
import type { ProjectionRunner } from '../../../projections/projection-runner.js';
import { ContactLog } from '../../testing/contact-log.js';
import { describeWithDocumentStores } from '../../../document-store/testing/document-store-targets.js';
import { caughtUp, testRunner } from '../../../projections/testing/run-projections.js';
import { CONTACT_SEARCH_COLLECTION, contactSearchProjection, type ContactSearchDocument } from './contact-search.projection.js';
import { searchContacts } from './search-contacts.js';

describeWithDocumentStores('the contact-search projection', (open) => {
  let log: ContactLog;
  let store: DocumentStore;
  let runner: ProjectionRunner;

  beforeEach(async () => {
    log = ContactLog.open();
    store = await open();
    runner = testRunner(log, store, [contactSearchProjection]);
    await runner.start();
  });
  afterEach(async () => {
    await runner.stop();
    await log.close();
  });

  const search = async (q: string, workspace = 'acme') => (await searchContacts(store, { workspace, q, limit: 50 })).ids;

  it('indexes the current effective values: edited ones are found, replaced ones no longer', async () => {
    const { contactId } = await log.report('whatsapp', '+44 20 7946 0001', { name: 'Zed', email: 'ann.lee@mail.example.com' });
    await caughtUp(runner, log);
    expect(await search('zed')).toEqual([contactId]);

    await log.edit(contactId, { name: 'Annabel Lee' });
    await caughtUp(runner, log);
    expect(await search('annabel')).toEqual([contactId]);
    expect(await search('Lee Anna')).toEqual([contactId]);
    expect(await search('zed')).toEqual([]);

    await log.restore(contactId, ['name']);
    await caughtUp(runner, log);
    expect(await search('annabel')).toEqual([]);
    expect(await search('zed')).toEqual([contactId]);

    const document = await store.collection<ContactSearchDocument>(CONTACT_SEARCH_COLLECTION).findOne({ _id: contactId });
    expect(document).toMatchObject({ workspace: 'acme', sortKey: '1zed', position: await log.head() });
    expect(document!.tokens).toEqual(expect.arrayContaining(['zed', '442079460001', 'ann.lee@mail.example.com', 'example']));
  });

  it('finds a phone typed with any formatting, and an e-mail by any part', async () => {
    const { contactId } = await log.report('whatsapp', '+44 20 7946 0001', { email: 'ann.lee@mail.example.com' });
    await log.report('whatsapp', '+44 20 7946 9999', {});
    await caughtUp(runner, log);
    for (const q of ['+442079460001', '20 7946 0001', '7946-0001', '(20) 7946.0001', 'ann.lee', 'mail.example.com', 'ANN.LEE@mail']) {
      expect(await search(q)).toEqual([contactId]);
    }
    expect(await search('7946')).toHaveLength(2);
  });

  it('requires every query word and keeps to the workspace', async () => {
    const ann = await log.report('telegram', 'ann', { name: 'Ann Lee' });
    await log.report('telegram', 'ann-b', { name: 'Ann Brown' });
    await log.report('telegram', 'ann-c', { name: 'Ann Lee' }, { workspace: 'globex' });
    await caughtUp(runner, log);
    expect(await search('ann l')).toEqual([ann.contactId]);
    expect(await search('ann')).toHaveLength(2);
    expect(await search('a.*n')).toEqual([]);
  });

  it('pages through every contact exactly once, by name, unnamed ones last', async () => {
    const names = ['Cora', 'ana', 'Ängel', 'Bea', 'Bea', 'Dmitri', 'Юлия'];
    const named = [];
    for (const [i, name] of names.entries()) named.push({ name, id: (await log.report('telegram', `n-${i}`, { name })).contactId });
    const unnamed = [(await log.report('telegram', 'u-1', {})).contactId, (await log.report('telegram', 'u-2', {})).contactId].sort();
    await caughtUp(runner, log);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await searchContacts(store, { workspace: 'acme', limit: 3, cursor });
      expect(page.ids.length).toBeLessThanOrEqual(3);
      seen.push(...page.ids);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    expect(seen).toHaveLength(names.length + unnamed.length);
    expect(new Set(seen).size).toBe(seen.length);
    const nameOf = new Map(named.map(({ id, name }) => [id, name]));
    expect(seen.slice(0, names.length).map((id) => nameOf.get(id))).toEqual(['ana', 'Ängel', 'Bea', 'Bea', 'Cora', 'Dmitri', 'Юлия']);
    expect(seen.slice(names.length)).toEqual(unnamed);
  });

  it('refuses a cursor it did not give', async () => {
    await expect(searchContacts(store, { workspace: 'acme', limit: 3, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toThrow(InvalidCursorError);
  });
});
