import { LOG_IDENTITY_STREAM, WrongExpectedRevisionError, type EventStore, type RecordedEvent } from './event-store.port.js';

export interface CopyLogProgress {
  copied: number;
  /** Source position reached. */
  position: number;
  /** Source head when the copy started: the copy stops there. */
  head: number;
}

export interface CopyLogOptions {
  /** Source events read per page; 500 by default. */
  batchSize?: number;
  onProgress?: (progress: CopyLogProgress) => void;
}

/**
 * Copies a log into another (SQLite ↔ EventStoreDB), in the source's global order, each event
 * with its id, type, data, metadata and stream revision; the target gives its own positions and
 * record times. Each run of consecutive events of one stream is one append at its exact expected
 * revision, so a copy interrupted and started again appends nothing twice: the port's
 * idempotency guarantee makes the repeated batches no-ops.
 *
 * A stream whose first revision in the source is above 0 (EventStoreDB truncation) is refused:
 * its revisions cannot be kept, and renumbering them would change what auditors cite.
 */
export async function copyLog(source: EventStore, target: EventStore, { batchSize = 500, onProgress }: CopyLogOptions = {}): Promise<CopyLogProgress> {
  const head = await source.headPosition();
  const progress: CopyLogProgress = { copied: 0, position: 0, head };
  while (progress.position < head) {
    const page = (await source.readAll({ after: progress.position, maxCount: batchSize })).filter((event) => event.position <= head);
    if (page.length === 0) break;
    // The target keeps its own log id: the source's is not copied.
    for (const run of runsOfOneStream(page.filter((event) => event.streamId !== LOG_IDENTITY_STREAM))) await appendRun(target, run);
    progress.copied += page.length;
    progress.position = page[page.length - 1].position;
    onProgress?.({ ...progress });
  }
  return progress;
}

async function appendRun(target: EventStore, run: RecordedEvent[]): Promise<void> {
  const [first] = run;
  const events = run.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }));
  try {
    await target.appendToStream(first.streamId, events, { expectedRevision: first.revision === 0 ? 'no_stream' : first.revision - 1 });
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
    throw new Error(
      `cannot copy stream ${first.streamId} at revision ${first.revision}: the target's stream is at ${String(error.actual)} ` +
        '(a stream truncated in the source, or a target that already holds other events of this stream)',
      { cause: error },
    );
  }
}

/** The page cut where the stream changes, keeping the log's order. */
function runsOfOneStream(page: RecordedEvent[]): RecordedEvent[][] {
  const runs: RecordedEvent[][] = [];
  for (const event of page) {
    const run = runs.at(-1);
    if (run && run[0].streamId === event.streamId) run.push(event);
    else runs.push([event]);
  }
  return runs;
}
