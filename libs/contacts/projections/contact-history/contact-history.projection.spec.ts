import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { DocumentStore } from '../../../document-store/document-store.port.js';
import type { ProjectionRunner } from '../../../projections/projection-runner.js';
import { AGENT, ContactLog, OWNER } from '../../testing/contact-log.js';
import { describeWithDocumentStores } from '../../../document-store/testing/document-store-targets.js';
import { caughtUp, testRunner } from '../../../projections/testing/run-projections.js';
import { contactHistoryProjection } from './contact-history.projection.js';
import { queryHistory, type ContactHistoryEntry, type HistoryQuery } from './query-history.js';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 10, minute));
const change = (entry: ContactHistoryEntry) => [entry.source, entry.actor.id, entry.eventType, entry.field, entry.from, entry.to];

describeWithDocumentStores('the contact-history projection', (open) => {
  let log: ContactLog;
  let store: DocumentStore;
  let runner: ProjectionRunner;
  let zed: string;
  let bob: string;

  beforeEach(async () => {
    log = ContactLog.open();
    store = await open();
    runner = testRunner(log, store, [contactHistoryProjection]);
    zed = (await log.report('whatsapp', '+15551234567', { name: 'Zed', language: 'en' }, { at: at(0) })).contactId;
    await log.edit(zed, { name: 'Annabel Lee', country: 'GB' }, { actor: AGENT, at: at(1) });
    await log.report('whatsapp', '+15551234567', { name: 'Zedd', language: 'en' }, { at: at(2) });
    await log.edit(zed, { language: null }, { at: at(3) });
    await log.restore(zed, undefined, { actor: OWNER, at: at(4) });
    bob = (await log.report('telegram', 'bob', { name: 'Bob' }, { at: at(5) })).contactId;
    await log.edit(bob, { name: 'Robert' }, { actor: AGENT, at: at(6) });
    await log.report('telegram', 'eve', { name: 'Eve' }, { workspace: 'globex', at: at(7) });
    await runner.start();
    await caughtUp(runner, log);
  });
  afterEach(async () => {
    await runner.stop();
    await log.close();
  });

  const history = (query: Partial<HistoryQuery> = {}) => queryHistory(store, { workspace: 'acme', limit: 100, ...query });

  it('records each field change, oldest first (by field within an event): effective values for agents, channel values for channels', async () => {
    const { items, nextCursor } = await history({ contactId: zed });
    expect(nextCursor).toBeNull();
    expect(items.map(change)).toEqual([
      ['channel', 'connector-1', 'ChannelDataReceived', 'language', null, 'en'],
      ['channel', 'connector-1', 'ChannelDataReceived', 'name', null, 'Zed'],
      ['channel', 'connector-1', 'ChannelDataReceived', 'phone', null, '+15551234567'],
      ['agent', AGENT.id, 'ContactFieldEdited', 'name', 'Zed', 'Annabel Lee'],
      ['agent', AGENT.id, 'ContactFieldEdited', 'country', null, 'GB'],
      ['channel', 'connector-1', 'ChannelDataReceived', 'name', 'Zed', 'Zedd'],
      ['agent', OWNER.id, 'ContactFieldCleared', 'language', 'en', null],
      ['agent', OWNER.id, 'ContactRestoredFromChannel', 'country', 'GB', null],
      ['agent', OWNER.id, 'ContactRestoredFromChannel', 'language', null, 'en'],
      ['agent', OWNER.id, 'ContactRestoredFromChannel', 'name', 'Annabel Lee', 'Zedd'],
    ]);
    expect(items[3]).toEqual({
      workspace: 'acme',
      contactId: zed,
      at: at(1).toISOString(),
      actor: { id: AGENT.id, role: 'agent' },
      source: 'agent',
      field: 'name',
      from: 'Zed',
      to: 'Annabel Lee',
      eventType: 'ContactFieldEdited',
      eventId: expect.any(String),
      position: expect.any(Number),
    });
    const positions = items.map((item) => item.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('filters by actor, field and time, inclusive, across contacts of the workspace only', async () => {
    expect((await history({ actorId: AGENT.id })).items.map((item) => [item.contactId, item.field, item.to])).toEqual([
      [zed, 'name', 'Annabel Lee'],
      [zed, 'country', 'GB'],
      [bob, 'name', 'Robert'],
    ]);
    expect((await history({ field: 'name', from: at(2).toISOString(), to: '2026-11-22T12:05:00+02:00' })).items.map((item) => item.to)).toEqual([
      'Zedd',
      'Zedd',
      'Bob',
    ]);
    expect((await history({ workspace: 'globex' })).items.map((item) => item.to)).toEqual(['Eve']);
  });

  it('pages through the trail with a cursor, each entry once and in order', async () => {
    const all = (await history()).items;
    const paged: ContactHistoryEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await history({ limit: 4, cursor });
      paged.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(all).toHaveLength(12);
    expect(paged).toEqual(all);
  });
});
