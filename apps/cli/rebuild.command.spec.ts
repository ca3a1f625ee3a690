import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { MongoDbDocumentStore } from '../../libs/document-store/mongodb/mongodb-document-store.js';
import { CONTACT_PROJECTIONS } from '../../libs/contacts/projections/contact-projections.js';
import { CONTACT_VIEWS_COLLECTION } from '../../libs/contacts/projections/contact-views/contact-views.projection.js';
import { CHECKPOINTS_COLLECTION, readCheckpoints } from '../../libs/projections/checkpoints.js';
import { SqliteDocumentStore } from '../../libs/document-store/sqlite/sqlite-document-store.js';
import { fillBusyLog } from '../../libs/projections/testing/busy-log.js';
import { ContactLog } from '../../libs/contacts/testing/contact-log.js';
import { describeWithMongoDb } from '../../libs/document-store/testing/describe-with-mongodb.js';
import { formatProgress } from './progress-line.js';
import { rebuildCommand, rebuildProjections } from './rebuild.command.js';
import { ALL_PROJECTION_NAMES } from '../shared/projections.js';

it('rebuilds the embedded read models in DATA_DIR without MONGODB_URI, and refuses an unknown projection', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rebuild-cli-'));
  try {
    await rebuildCommand(['all'], { DATA_DIR: dataDir });
    const embedded = SqliteDocumentStore.open(join(dataDir, 'read-models.sqlite'));
    expect(await embedded.listCollections()).toContain(CHECKPOINTS_COLLECTION);
    expect(await readCheckpoints(embedded, ['contact-views', 'contact-search', 'contact-history'])).toEqual({
      'contact-views': 0,
      'contact-search': 0,
      'contact-history': 0,
    });
    await embedded.close();
    await expect(rebuildCommand(['no-such-projection'], { DATA_DIR: dataDir })).rejects.toThrow(
      `usage: rebuild <${ALL_PROJECTION_NAMES.join('|')}|all>`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

it('draws a progress bar', () => {
  expect(formatProgress({ projection: 'contact-views', position: 12_345, head: 20_000, eventsPerSecond: 8765.4 })).toBe(
    'contact-views [###################-----------] 12,345/20,000 events 8,765 ev/s',
  );
});

describeWithMongoDb('npm run cli -- rebuild (FerretDB + a SQLite log)', (uri) => {
  const database = `rebuild_cli_test_${process.pid}_${Date.now()}`;
  let store: MongoDbDocumentStore;
  let log: ContactLog;

  beforeAll(async () => {
    store = await MongoDbDocumentStore.connect(uri, database);
  });
  afterAll(async () => {
    await store.close();
    const client = await MongoClient.connect(uri);
    await client.db(database).dropDatabase();
    await client.close();
  });
  beforeEach(async () => {
    log = ContactLog.open();
    await fillBusyLog(log, 8);
  });
  afterEach(() => log.close());

  it('rebuilds every projection up to the head, with progress and a summary line for each', async () => {
    const written: string[] = [];
    const results = await rebuildProjections(log.store, store, CONTACT_PROJECTIONS, { isTTY: false, write: (text) => written.push(text) });

    const head = await log.head();
    expect(results.map((result) => result.position)).toEqual(CONTACT_PROJECTIONS.map(() => head));
    expect(await readCheckpoints(store, ['contact-views', 'contact-search', 'contact-history'])).toEqual({
      'contact-views': head,
      'contact-search': head,
      'contact-history': head,
    });
    expect(await store.collection(CONTACT_VIEWS_COLLECTION).count({})).toBe(8);
    const output = written.join('');
    expect(output).toMatch(/^contact-views \[#*-*\] [\d,]+\/[\d,]+ events [\d,]+ ev\/s$/m);
    for (const name of ['contact-views', 'contact-search', 'contact-history']) {
      expect(output).toMatch(new RegExp(`^${name} rebuilt: [\\d,]+ events in \\d+\\.\\d s \\([\\d,]+ events/s\\), checkpoint ${head}$`, 'm'));
    }
  });

  it('redraws one line on a terminal', async () => {
    const written: string[] = [];
    await rebuildProjections(log.store, store, CONTACT_PROJECTIONS.slice(0, 1), { isTTY: true, write: (text) => written.push(text) });
    expect(written[0]).toMatch(/^\rcontact-views \[/);
    expect(written.at(-1)).toMatch(/^\r\x1b\[Kcontact-views rebuilt: /);
  });
});
