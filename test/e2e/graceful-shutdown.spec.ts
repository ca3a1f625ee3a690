import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '../../libs/auth/tokens.js';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store.js';
import { SqliteDocumentStore } from '../../libs/document-store/sqlite/sqlite-document-store.js';
import { readCheckpoints } from '../../libs/projections/checkpoints.js';
import { CONTACT_VIEWS_COLLECTION } from '../../libs/contacts/projections/contact-views/contact-views.projection.js';
import { TEST_SECRET } from '../support/api-harness.js';
import { startApiProcess } from '../support/api-process.js';

/**
 * Graceful shutdown (issue 11, item 2): SIGTERM in the middle of a burst of PATCHes. The API stops
 * accepting, finishes the commands in flight, the projections store their checkpoints, the process
 * exits 0; every acknowledged command is in the log, and the checkpoint covers what was projected.
 */
describe('graceful shutdown of the API process on SIGTERM', () => {
  const dir = mkdtempSync(join(tmpdir(), 'contact-profiles-shutdown-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers the commands in flight, exits 0, and every acknowledged command is in the log after restart', async () => {
    const api = await startApiProcess({ DATA_DIR: dir });
    const integration = await mintToken({ sub: 'integration-1', workspace: 'acme', role: 'integration' }, TEST_SECRET, '1h');
    const manager = await mintToken({ sub: 'manager-1', workspace: 'acme', role: 'manager' }, TEST_SECRET, '1h');
    const created = await fetch(`${api.baseUrl}/v1/channel-contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${integration}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'sms', channelContactId: '+15550100077', name: 'Before Shutdown' }),
    });
    const { contactId } = (await created.json()) as { contactId: string };

    const acknowledged: Array<{ name: string; version: number; position: number }> = [];
    const refusals: string[] = [];
    let signalled = false;
    const worker = async (w: number) => {
      for (let i = 0; i < 300; i++) {
        const name = `Edit ${w} ${i}`;
        let response: Response;
        try {
          response = await fetch(`${api.baseUrl}/v1/contacts/${contactId}`, {
            method: 'PATCH',
            headers: { authorization: `Bearer ${manager}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name }),
          });
        } catch (error) {
          refusals.push(`connection: ${(error as Error).cause ? String((error as Error & { cause: unknown }).cause) : String(error)}`);
          return; // the server no longer accepts
        }
        const body = (await response.json()) as { version: number; position: number };
        if (response.status !== 200) {
          refusals.push(String(response.status));
          return;
        }
        acknowledged.push({ name, version: body.version, position: body.position });
        if (acknowledged.length === 30 && !signalled) {
          signalled = true;
          api.signal('SIGTERM');
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(worker));
    const exit = await api.exited;

    expect(signalled).toBe(true);
    if (exit.code !== 0) console.log(api.output().split('\n').slice(-30).join('\n'));
    expect(exit).toEqual({ code: 0, signal: null });
    // Only "no longer accepting" refusals: 503 while closing, or no connection at all.
    for (const refusal of refusals) expect(refusal).toMatch(/^(503|connection: )/);
    console.log(`graceful shutdown: ${acknowledged.length} PATCHes acknowledged, refusals after SIGTERM: ${JSON.stringify(refusals)}`);

    const log = SqliteEventStore.open(join(dir, 'events.sqlite'));
    const events = await log.readAll();
    await log.close();
    const positions = new Set(events.map((event) => event.position));
    const missing = acknowledged.filter((ack) => !positions.has(ack.position));
    expect(missing).toEqual([]);
    const head = Math.max(...events.map((event) => event.position));

    // The checkpoint stored on the way out covers every view it wrote, and no more than the log.
    const readModels = SqliteDocumentStore.open(join(dir, 'read-models.sqlite'));
    const { 'contact-views': checkpoint } = await readCheckpoints(readModels, ['contact-views']);
    const view = await readModels.collection<{ _id: string; position: number }>(CONTACT_VIEWS_COLLECTION).findOne({ _id: contactId });
    await readModels.close();
    expect(view).not.toBeNull();
    expect(checkpoint).toBeGreaterThanOrEqual(view!.position);
    expect(checkpoint).toBeLessThanOrEqual(head);

    // After a restart the last acknowledged edit is what the contact says.
    const last = acknowledged.reduce((a, b) => (b.version > a.version ? b : a));
    const again = await startApiProcess({ DATA_DIR: dir });
    try {
      const read = await fetch(`${again.baseUrl}/v1/contacts/${contactId}?minPosition=${head}`, { headers: { authorization: `Bearer ${manager}` } });
      const current = (await read.json()) as { version: number; fields: { name: { value: string } } };
      expect(current.fields.name.value).toBe(last.name);
      expect(current.version).toBe(last.version);
    } finally {
      await again.stop();
    }
  }, 120_000);
});
