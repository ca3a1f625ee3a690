import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store.js';
import { MongoDbDocumentStore } from '../../libs/document-store/mongodb/mongodb-document-store.js';
import { CONTACT_VIEWS_COLLECTION } from '../../libs/contacts/projections/contact-views/contact-views.projection.js';
import { CONTACT_SEARCH_COLLECTION } from '../../libs/contacts/projections/contact-search/contact-search.projection.js';
import { CONTACT_HISTORY_COLLECTION } from '../../libs/contacts/projections/contact-history/contact-history.projection.js';
import { readCheckpoints } from '../../libs/projections/checkpoints.js';
import { describeWithMongoDb } from '../../libs/document-store/testing/describe-with-mongodb.js';
import { loadConfig } from '../../libs/config/config.js';
import { reportContact } from '../shared/testing/report-contact.js';
import { startProjector } from './projector.js';
import { ALL_PROJECTION_NAMES } from '../shared/projections.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'projector-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

it('refuses to start without MONGODB_URI: the API keeps the embedded read models itself', async () => {
  await expect(startProjector(loadConfig({ DATA_DIR: dataDir }))).rejects.toThrow(/needs MONGODB_URI.*embedded ones, which the API keeps itself/);
});

describeWithMongoDb('the projector (FerretDB + a SQLite log)', (uri) => {
  const database = `projector_test_${process.pid}_${Date.now()}`;
  afterAll(async () => {
    const client = await MongoClient.connect(uri);
    await client.db(database).dropDatabase();
    await client.close();
  });

  it('catches up, follows new events into the read models, logs its progress and stops cleanly', async () => {
    const log = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
    for (let i = 0; i < 20; i++) await reportContact(log, `before-${i}`, `Before ${i}`);
    const messages: string[] = [];
    const projector = await startProjector(loadConfig({ DATA_DIR: dataDir, MONGODB_URI: uri, MONGODB_DATABASE: database }), {
      log: (message) => messages.push(message),
      error: (message, error) => messages.push(`${message}: ${String(error)}`),
    });
    const reader = await MongoDbDocumentStore.connect(uri, database);
    try {
      const late = await reportContact(log, 'late', 'Late Comer');
      expect(await projector.runner.waitForPosition(late.position, 10_000)).toBe(true);

      expect(await reader.collection(CONTACT_VIEWS_COLLECTION).count({})).toBe(21);
      expect(await reader.collection(CONTACT_SEARCH_COLLECTION).count({ _id: late.contactId })).toBe(1);
      expect(await reader.collection(CONTACT_HISTORY_COLLECTION).count({})).toBeGreaterThan(0);
      expect(messages).toContain(`projector running ${ALL_PROJECTION_NAMES.join(', ')} into ${database}`);
      // Progress is reported at most once a second; the last word (caught up) may come a second late.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      for (const name of ['contact-views', 'contact-search', 'contact-history']) {
        expect(messages).toContainEqual(expect.stringMatching(new RegExp(`^${name} caught up at \\d+$`)));
      }
    } finally {
      await projector.stop();
    }

    const stopped = await readCheckpoints(reader, ['contact-views', 'contact-search', 'contact-history']);
    await reportContact(log, 'after-stop', 'After Stop');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await readCheckpoints(reader, ['contact-views', 'contact-search', 'contact-history'])).toEqual(stopped);
    expect(messages.filter((message) => message.includes('Error'))).toEqual([]);
    await reader.close();
    await log.close();
  });
});
