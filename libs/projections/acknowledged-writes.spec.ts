import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { WrongExpectedRevisionError, type NewEvent } from '../event-store/event-store.port.js';
import { AcknowledgedWrites, recordingAppends } from './acknowledged-writes.js';

const event = (): NewEvent => ({ id: randomUUID(), type: 'Tested', data: {}, metadata: {} });

it('records the position of each acknowledged append, never one that failed, and passes reads through', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'acknowledged-writes-'));
  const inner = SqliteEventStore.open(join(dir, 'events.sqlite'));
  const acknowledged = new AcknowledgedWrites();
  const store = recordingAppends(inner, acknowledged);
  try {
    expect(acknowledged.position).toBe(0);
    const first = await store.appendToStream('a-1', [event(), event()]);
    expect(acknowledged.position).toBe(first.position);

    await inner.appendToStream('b-1', [event()]);
    await expect(store.appendToStream('a-1', [event()], { expectedRevision: 0 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(acknowledged.position).toBe(first.position);

    expect(await store.headPosition()).toBe(first.position + 1);
    expect((await store.readStream('a-1')).map((recorded) => recorded.revision)).toEqual([0, 1]);
  } finally {
    await inner.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
