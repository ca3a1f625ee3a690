import type { RecordedEvent } from '../../../event-store/event-store.port.js';
import { describeWithDocumentStores } from '../../../document-store/testing/document-store-targets.js';
import type { DocumentStore } from '../../../document-store/document-store.port.js';
import { projectionCollections } from '../../../projections/projection.js';
import { OwnedCollections } from '../../../projections/owned-collections.js';
import { listTags } from './list-tags.js';
import { tagUsageProjection, TAG_USAGE_CONTACTS_COLLECTION } from './tag-usage.projection.js';

let position = 0;
function event(streamId: string, type: string, data: Record<string, unknown>, workspace = 'acme'): RecordedEvent {
  position++;
  return {
    id: `event-${position}`,
    type,
    streamId,
    revision: 0,
    position,
    data,
    metadata: { workspace, actor: { id: 'owner-1', role: 'owner' }, source: 'agent', occurredAt: '2026-11-23T10:00:00.000Z', schemaVersion: 1 },
    recordedAt: '2026-11-23T10:00:00.000Z',
  };
}

describeWithDocumentStores('tag-usage projection', (open) => {
  let store: DocumentStore;
  const apply = (events: RecordedEvent[]) => tagUsageProjection.applyBatch(events, projectionCollections(store, tagUsageProjection));

  beforeEach(async () => {
    store = await open();
    await tagUsageProjection.setup(projectionCollections(store, tagUsageProjection));
  });

  const history = () => [
    event('workspace-acme', 'TagCreated', { name: 'VIP' }),
    event('contact-a', 'TagAssigned', { tag: 'VIP' }),
    event('contact-b', 'TagAssigned', { tag: 'vip' }),
    event('workspace-acme', 'TagCreated', { name: 'lead' }),
    event('contact-b', 'TagAssigned', { tag: 'lead' }),
    event('contact-a', 'TagRemoved', { tag: 'VIP' }),
    event('workspace-globex', 'TagCreated', { name: 'VIP' }, 'globex'),
  ];

  it('counts the contacts of each tag, with the first spelling, per workspace', async () => {
    await apply(history());
    expect(await listTags(store, 'acme')).toEqual([
      { name: 'lead', contacts: 1 },
      { name: 'VIP', contacts: 1 },
    ]);
    expect(await listTags(store, 'acme', 'V')).toEqual([{ name: 'VIP', contacts: 1 }]);
    expect((await listTags(store, 'acme', '', 1)).length).toBe(1);
    expect(await listTags(store, 'globex')).toEqual([{ name: 'VIP', contacts: 0 }]);
  });

  it('counts nothing twice when a batch is delivered again, whole or in part', async () => {
    const events = history();
    await apply(events);
    await apply(events);
    await apply(events.slice(2, 5));
    expect(await listTags(store, 'acme')).toEqual([
      { name: 'lead', contacts: 1 },
      { name: 'VIP', contacts: 1 },
    ]);
  });

  it('completes exactly after a crash that wrote the counts but not the per-contact lists', async () => {
    const events = history();
    await apply(events);
    await store.collection(TAG_USAGE_CONTACTS_COLLECTION).deleteMany({});
    await apply(events);
    expect(await listTags(store, 'acme')).toEqual([
      { name: 'lead', contacts: 1 },
      { name: 'VIP', contacts: 1 },
    ]);
  });

  it("counts exactly in collections it owns (a rebuild's): batch after batch, and a batch applied again after its answer was lost", async () => {
    const owned = new OwnedCollections();
    const db = projectionCollections(store, tagUsageProjection, { owned });
    const events = history();
    await tagUsageProjection.applyBatch(events.slice(0, 3), db);
    await tagUsageProjection.applyBatch(events.slice(3, 6), db);
    owned.failedAttempt(events[5]!.position);
    await tagUsageProjection.applyBatch(events.slice(3), db);
    await owned.flush();
    expect(await listTags(store, 'acme')).toEqual([
      { name: 'lead', contacts: 1 },
      { name: 'VIP', contacts: 1 },
    ]);
    expect(await listTags(store, 'globex')).toEqual([{ name: 'VIP', contacts: 0 }]);
  });
});
