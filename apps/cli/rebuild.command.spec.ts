import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { MongoDbDocumentStore } from '../../libs/read-models/document-store/mongodb/mongodb-document-store.js';
import { CONTACT_PROJECTIONS } from '../../libs/read-models/projections/contact-projections.js';
import { CONTACT_VIEWS_COLLECTION } from '../../libs/read-models/projections/contact-views/contact-views.projection.js';
import { readCheckpoints } from '../../libs/read-models/projections/checkpoints.js';
import { fillBusyLog } from '../../libs/read-models/projections/testing/busy-log.js';
import { ContactLog } from '../../libs/read-models/projections/testing/contact-log.js';
import { describeWithMongoDb } from '../../libs/read-models/projections/testing/describe-with-mongodb.js';
import { formatProgress } from './progress-line.js';
import { rebuildCommand, rebuildProjections } from './rebuild.command.js';

it('refuses without MONGODB_URI, saying where in-memory read models are rebuilt', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rebuild-cli-'));
  try {
    await expect(rebuildCommand(['all'], { DATA_DIR: dataDir })).rejects.toThrow(/needs MONGODB_URI.*inside the API process.*at each start/);
    await expect(rebuildCommand(['no-such-projection'], { DATA_DIR: dataDir })).rejects.toThrow(
      /usage: rebuild <contact-views\|contact-search\|contact-history\|all>/,
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
    expect(results.map((result) => result.position)).toEqual([head, head, head]);
    expect(await readCheckpoints(store, ['contact-views', 'contact-search', 'contact-history'])).toEqual({
      'contact-views': head,
      'contact-search': head,
      'contact-history': head,
    });
    expect(await store.collection(CONTACT_VIEWS_COLLECTION).count({})).toBe(8);
    const output = written.join('');
    expect(output).toMatch(/^contact-views \[#*-*\] [\d,]+\/[\d,]+ events [\d,]+ ev\/s$/m);
    for (const name of ['contact-views', 'contact-search', 'contact-history']) {
      expect(output).toMatch(new RegExp(`^${name} rebuilt: ${head} events in \\d+\\.\\d s \\([\\d,]+ events/s\\), checkpoint ${head}$`, 'm'));
    }
  });

  it('redraws one line on a terminal', async () => {
    const written: string[] = [];
    await rebuildProjections(log.store, store, CONTACT_PROJECTIONS.slice(0, 1), { isTTY: true, write: (text) => written.push(text) });
    expect(written[0]).toMatch(/^\rcontact-views \[/);
    expect(written.at(-1)).toMatch(/^\r\x1b\[Kcontact-views rebuilt: /);
  });
});
