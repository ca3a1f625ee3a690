import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../libs/config/config.js';
import { copyLog, type CopyLogProgress } from '../../libs/event-store/copy-log.js';
import type { EventStore } from '../../libs/event-store/event-store.port.js';
import { EventStoreDbEventStore } from '../../libs/event-store/eventstoredb/eventstoredb-event-store.js';
import { openEventStore } from '../../libs/event-store/open-event-store.js';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store.js';
import { ProgressLine, type ProgressStream } from './progress-line.js';

export const COPY_LOG_USAGE = `copy-log --to <esdb://…|path/to/events.sqlite>
  Copies the configured log (EVENTSTORE_CONNECTION_STRING, else DATA_DIR/events.sqlite) into
  another, keeping ids, streams and revisions; safe to run again after an interruption.
  Positions differ between logs: rebuild every projection on the new one afterwards.`;

export async function copyLogCommand(
  args: string[],
  env: Record<string, string | undefined> = process.env,
  stream: ProgressStream = process.stderr,
): Promise<CopyLogProgress> {
  const { values } = parseArgs({ args, options: { to: { type: 'string' } } });
  if (!values.to) throw new Error(`usage: ${COPY_LOG_USAGE}`);
  const source = await openEventStore(loadConfig(env));
  const target = openTarget(values.to);
  const line = new ProgressLine(stream);
  try {
    const started = Date.now();
    let reported = 0;
    const result = await copyLog(source, target, {
      onProgress: ({ copied, position, head }) => {
        if (Date.now() - reported < 1000 && position < head) return;
        reported = Date.now();
        line.update({ projection: 'copy-log', position, head, eventsPerSecond: copied / Math.max((reported - started) / 1000, 0.001) });
      },
    });
    stream.write(
      `${stream.isTTY ? '\r\x1b[K' : ''}copy-log: ${result.copied.toLocaleString('en-US')} events copied up to source position ${result.position}.\n` +
        'Positions differ between logs: point the API and projector at the new log and run `npm run cli -- rebuild all`.\n',
    );
    return result;
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
}

function openTarget(to: string): EventStore {
  return /^esdb(\+discover)?:\/\//.test(to) ? EventStoreDbEventStore.connect(to) : SqliteEventStore.open(resolve(to));
}
