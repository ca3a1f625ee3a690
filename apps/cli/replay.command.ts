import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { contactStreamId } from '../../libs/contacts/index.js';
import { openEventLog } from '../shared/event-log.js';
import { loadConfig } from '../../libs/config/config.js';
import type { EventStore } from '../../libs/event-store/event-store.port.js';
import { filteredLog, type LogFilter } from '../../libs/event-stream/filtered-log.js';
import { publishedEvent } from '../../libs/event-stream/published-event.js';
import { LineOutput } from './line-output.js';
import { ProgressLine, type ProgressStream } from './progress-line.js';

export const REPLAY_USAGE = `replay [<contactId>] [--stream <streamId>] [--from-revision N] [--type <Type,…>] [--from <ISO time>] [--to <ISO time>]
  Writes the log's events, oldest first, as NDJSON on stdout (one event per line, as GET /v1/events
  gives them): the whole log, one contact's stream, or a stream, filtered by type and by the time
  they occurred (inclusive). Progress goes to stderr; closing stdout early (replay | head) is fine.`;

export async function replayCommand(args: string[], env: Record<string, string | undefined> = process.env, stdout: Writable = process.stdout): Promise<void> {
  const filter = replayFilterOf(args);
  const store = await openEventLog(loadConfig(env));
  try {
    await replay(store, filter, new LineOutput(stdout), process.stderr);
  } finally {
    await store.close();
  }
}

/** Writes the matching events as NDJSON; answers how many, and stops early, without an error, when the reader has gone. */
export async function replay(store: EventStore, filter: LogFilter, output: LineOutput, progress: ProgressStream): Promise<number> {
  const line = new ProgressLine(progress);
  const started = performance.now();
  let written = 0;
  let reported = 0;
  const head = await store.headPosition();
  const report = (position: number, final = false): void => {
    const now = performance.now();
    if (!final && now - reported < 1000) return;
    reported = now;
    line.update({ projection: 'replay', position, head, eventsPerSecond: written / Math.max((now - started) / 1000, 0.001) });
  };
  for await (const event of filteredLog(store, filter, report)) {
    if (!(await output.write(JSON.stringify(publishedEvent(event))))) return written;
    written++;
  }
  report(head, true);
  progress.write(`replay: ${written.toLocaleString('en-US')} events written\n`);
  if (written === 0 && filter.streamId) throw new Error(`no events in ${filter.streamId} match`);
  return written;
}

export function replayFilterOf(args: string[]): LogFilter {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { stream: { type: 'string' }, type: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, 'from-revision': { type: 'string' } },
  });
  if (positionals.length > 1 || (positionals.length === 1 && values.stream)) throw new Error(`usage: ${REPLAY_USAGE}`);
  for (const name of ['from', 'to'] as const) {
    if (values[name] !== undefined && Number.isNaN(Date.parse(values[name]!))) throw new Error(`--${name} must be an ISO time, e.g. 2026-11-23T10:00:00Z`);
  }
  const fromRevision = values['from-revision'] === undefined ? undefined : Number(values['from-revision']);
  if (fromRevision !== undefined && (!Number.isInteger(fromRevision) || fromRevision < 0)) throw new Error('--from-revision must be a whole number');
  return {
    fromRevision,
    streamId: positionals[0] ? contactStreamId(positionals[0]) : values.stream,
    types: values.type?.split(',').map((type) => type.trim()).filter((type) => type !== ''),
    from: values.from,
    to: values.to,
  };
}
