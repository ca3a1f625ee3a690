import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTACT_VIEWS_COLLECTION } from '../../libs/contacts/projections/contact-views/contact-views.projection.js';
import { openDocumentStore } from '../../libs/document-store/open-document-store.js';
import { readCheckpoints } from '../../libs/projections/checkpoints.js';
import type { ProjectionProgress } from '../../libs/projections/projection-progress.js';
import { loadConfig, type AppConfig } from '../../libs/config/config.js';
import { openEventLog } from '../shared/event-log.js';
import { reportContact } from '../shared/testing/report-contact.js';
import { ALL_PROJECTION_NAMES } from '../shared/projections.js';
import { ProjectionThread } from './projection-thread.js';

let dataDir: string;
let config: AppConfig;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'projection-thread-'));
  config = loadConfig({ DATA_DIR: dataDir, AUTH_JWT_SECRET: 'projection-thread-spec-secret-32-characters' });
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

it("applies this thread's appends on a thread of its own, reports how far it got, and stops with every batch checkpointed", async () => {
  const log = await openEventLog(config);
  const errors: string[] = [];
  const progress: ProjectionProgress[] = [];
  const thread = new ProjectionThread(config, { logger: { error: (message) => errors.push(message) }, onProgress: (report) => progress.push(report) });
  await thread.start(dataDir);
  const documents = await openDocumentStore(config);
  expect(await thread.waitForPosition(0, 0)).toBe(true);
  try {
    const ann = await reportContact(log, 'ann', 'Ann Lee');
    expect(await thread.waitForPosition(ann.position, 10_000)).toBe(true);
    expect(await documents.collection(CONTACT_VIEWS_COLLECTION).findOne({ _id: ann.contactId })).toMatchObject({ workspace: 'acme', position: ann.position });

    const bob = await reportContact(log, 'bob', 'Bob Stone');
    expect(await thread.waitForPosition(bob.position, 10_000)).toBe(true);
    expect(await thread.waitForPosition(bob.position + 1, 50)).toBe(false);
    // Progress is reported at most once a second; the last word may come a second late.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(progress).toContainEqual(expect.objectContaining({ projection: 'contact-views', position: bob.position }));
  } finally {
    await thread.stop();
  }
  const stopped = await readCheckpoints(documents, ALL_PROJECTION_NAMES);
  expect(Object.values(stopped).every((position) => position >= 2)).toBe(true);
  await reportContact(log, 'after-stop', 'After Stop');
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await readCheckpoints(documents, ALL_PROJECTION_NAMES)).toEqual(stopped);
  expect(errors).toEqual([]);
  await documents.close();
  await log.close();
});

it('refuses read models of another log, as the API thread would, and ends', async () => {
  const first = new ProjectionThread(config, { logger: { error: () => undefined } });
  await first.start(dataDir);
  await first.stop();
  for (const file of ['events.sqlite', 'events.sqlite-wal', 'events.sqlite-shm']) rmSync(join(dataDir, file), { force: true });
  const log = await openEventLog(config);
  await reportContact(log, 'ann', 'Ann Lee');

  const second = new ProjectionThread(config, { logger: { error: () => undefined } });
  await expect(second.start(dataDir)).rejects.toMatchObject({ name: 'ReadModelsRefusedError', message: expect.stringMatching(/do not belong to this event log/) });
  // The thread ends by itself; stopping it waits for that, and returns at once after.
  await second.stop();
  await second.stop();
  await log.close();
});
