import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v4 as uuid } from 'uuid';
import type { AppendOptions, EventStore, NewEvent } from '../../libs/event-store/event-store.port.js';
import { copyLog } from '../../libs/event-store/copy-log.js';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store.js';
import { copyLogCommand } from './copy-log.command.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'copy-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const newEvent = (n: number): NewEvent => ({ id: uuid(), type: `T${n % 3}`, data: { n, name: 'Zoë' }, metadata: { workspace: 'ws-1' } });

/** A source log of interleaved streams: a-0, b-0, a-1 a-2, c-0 …, 300 events in all. */
async function writeSource(file: string): Promise<EventStore> {
  const source = SqliteEventStore.open(file);
  const revisions = new Map<string, number>();
  for (let n = 0; n < 300; ) {
    const stream = `contact-${['a', 'b', 'c', 'd'][n % 4]}`;
    const size = 1 + (n % 3);
    const last = revisions.get(stream);
    const result = await source.appendToStream(stream, Array.from({ length: size }, (_, i) => newEvent(n + i)), {
      expectedRevision: last === undefined ? 'no_stream' : last,
    });
    revisions.set(stream, result.nextExpectedRevision);
    n += size;
  }
  return source;
}

const comparable = (events: Array<{ id: string; type: string; streamId: string; revision: number; data: unknown; metadata: unknown }>) =>
  events.map(({ id, type, streamId, revision, data, metadata }) => ({ id, type, streamId, revision, data, metadata }));

describe('copy-log', () => {
  it('copies a SQLite log into another in the same global order, keeping ids, streams, revisions and content', async () => {
    const sourceFile = join(dir, 'source', 'events.sqlite');
    const source = await writeSource(sourceFile);
    const expected = comparable(await source.readAll());
    await source.close();
    const lines: string[] = [];

    const result = await copyLogCommand(['--to', join(dir, 'target.sqlite')], { DATA_DIR: join(dir, 'source') }, { write: (t) => lines.push(t) });

    const target = SqliteEventStore.open(join(dir, 'target.sqlite'));
    expect(comparable(await target.readAll())).toEqual(expected);
    expect(result).toMatchObject({ copied: 300 });
    expect(lines.join('')).toMatch(/300 events copied.*rebuild all/s);
    await target.close();
  });

  it('resumes an interrupted copy without writing anything twice, and a second run writes nothing', async () => {
    const source = await writeSource(join(dir, 'source.sqlite'));
    const target = SqliteEventStore.open(join(dir, 'target.sqlite'));
    let appends = 0;
    const failingAfter40: EventStore = Object.assign(Object.create(target) as EventStore, {
      appendToStream: (stream: string, events: NewEvent[], options?: AppendOptions) => {
        if (++appends > 40) return Promise.reject(new Error('connection lost'));
        return target.appendToStream(stream, events, options);
      },
    });

    await expect(copyLog(source, failingAfter40, { batchSize: 50 })).rejects.toThrow('connection lost');
    const partial = (await target.readAll()).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(300);

    await copyLog(source, target, { batchSize: 50 });
    const head = await target.headPosition();
    await copyLog(source, target, { batchSize: 50 });

    expect(comparable(await target.readAll())).toEqual(comparable(await source.readAll()));
    expect(await target.headPosition()).toBe(head);
    await Promise.all([source.close(), target.close()]);
  });

  it('refuses a stream the target already holds with other events, naming it', async () => {
    const source = await writeSource(join(dir, 'source.sqlite'));
    const target = SqliteEventStore.open(join(dir, 'target.sqlite'));
    await target.appendToStream('contact-b', [newEvent(0)]);

    await expect(copyLog(source, target)).rejects.toThrow(/cannot copy stream contact-b at revision 0: the target's stream is at 0/);
    await Promise.all([source.close(), target.close()]);
  });
});
