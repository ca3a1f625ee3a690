import { describeWithDocumentStores } from '../../document-store/testing/document-store-targets.js';
import type { DocumentStore } from '../../document-store/document-store.port.js';
import { DocumentSnapshotStore, SNAPSHOTS_COLLECTION } from './document-snapshot-store.js';
import type { Snapshot } from './snapshot-store.port.js';

const snapshot = (version: number, occurredUntil: string, overrides: Partial<Snapshot> = {}): Snapshot => ({
  streamId: 'contact-1',
  schema: 'tally.v1',
  version,
  position: version * 10,
  occurredUntil,
  state: { total: version },
  ...overrides,
});

describeWithDocumentStores('DocumentSnapshotStore', (open) => {
  let documents: DocumentStore;
  let snapshots: DocumentSnapshotStore;

  beforeEach(async () => {
    documents = await open();
    snapshots = new DocumentSnapshotStore(documents);
    await documents.dropCollection(SNAPSHOTS_COLLECTION);
  });
  afterEach(() => documents.close());

  it('gives the latest snapshot whose events all occurred at or before the time', async () => {
    await snapshots.save(snapshot(100, '2026-11-23T10:00:00.000Z'));
    await snapshots.save(snapshot(200, '2026-11-23T11:00:00.000Z'));
    await snapshots.save(snapshot(300, '2026-11-23T12:00:00.000Z'));
    expect(await snapshots.latestUntil('contact-1', 'tally.v1', '2026-11-23T11:30:00.000Z')).toEqual(snapshot(200, '2026-11-23T11:00:00.000Z'));
    expect(await snapshots.latestUntil('contact-1', 'tally.v1', '2026-11-23T11:00:00.000Z')).toMatchObject({ version: 200 });
    expect(await snapshots.latestUntil('contact-1', 'tally.v1', '2030-01-01T00:00:00.000Z')).toMatchObject({ version: 300 });
    expect(await snapshots.latestUntil('contact-1', 'tally.v1', '2026-11-23T09:59:59.999Z')).toBeUndefined();
  });

  it("never gives another stream's snapshot, or one of another schema", async () => {
    await snapshots.save(snapshot(100, '2026-11-23T10:00:00.000Z', { streamId: 'contact-2' }));
    await snapshots.save(snapshot(200, '2026-11-23T10:00:00.000Z', { schema: 'tally.v2' }));
    expect(await snapshots.latestUntil('contact-1', 'tally.v1', '2030-01-01T00:00:00.000Z')).toBeUndefined();
    expect(await snapshots.latestUntil('contact-2', 'tally.v1', '2030-01-01T00:00:00.000Z')).toMatchObject({ streamId: 'contact-2', version: 100 });
  });

  it('keeps one snapshot per stream, schema and version when saved again', async () => {
    await snapshots.save(snapshot(100, '2026-11-23T10:00:00.000Z'));
    await snapshots.save(snapshot(100, '2026-11-23T10:00:00.000Z'));
    expect(await documents.collection(SNAPSHOTS_COLLECTION).count({})).toBe(1);
  });
});
