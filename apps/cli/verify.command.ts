import { loadConfig } from '../../libs/config/config.js';
import type { DocumentStore } from '../../libs/document-store/document-store.port.js';
import { openDocumentStore } from '../../libs/document-store/open-document-store.js';
import type { EventStore } from '../../libs/event-store/event-store.port.js';
import type { Projection } from '../../libs/projections/projection.js';
import { verifyProjection, type VerifyOptions, type VerifyResult } from '../../libs/projections/verify-projection.js';
import { openEventLog } from '../shared/event-log.js';
import { ALL_PROJECTION_NAMES, ALL_PROJECTIONS } from '../shared/projections.js';
import { ProgressLine, type ProgressStream } from './progress-line.js';

export const VERIFY_USAGE = `verify [${ALL_PROJECTION_NAMES.join('|')} ...]
  The auditor's proof: for each read model (all by default), folds the log afresh up to its
  checkpoint into a scratch store in memory and compares every stored document with the fold
  (on MONGODB_URI, else DATA_DIR/read-models.sqlite). One line per difference and a summary
  line per read model on stdout, progress on stderr; exit status 1 when there is a difference.`;

export async function verifyCommand(
  args: string[],
  env: Record<string, string | undefined> = process.env,
  out: ProgressStream = process.stdout,
  progress: ProgressStream = process.stderr,
): Promise<VerifyResult[]> {
  const projections = projectionsNamed(args);
  const config = loadConfig(env);
  const eventStore = await openEventLog(config);
  try {
    const documentStore = await openDocumentStore(config);
    try {
      const results = await verifyProjections(eventStore, documentStore, projections, out, progress);
      if (results.some((result) => result.differences.length > 0)) process.exitCode = 1;
      return results;
    } finally {
      await documentStore.close();
    }
  } finally {
    await eventStore.close();
  }
}

/** Verifies the projections one after another: differences and summaries on `out`, progress on `progress`. */
export async function verifyProjections(
  eventStore: EventStore,
  documentStore: DocumentStore,
  projections: readonly Projection[],
  out: ProgressStream,
  progress: ProgressStream,
  options: Omit<VerifyOptions, 'onProgress'> = {},
): Promise<VerifyResult[]> {
  const line = new ProgressLine(progress);
  const results: VerifyResult[] = [];
  for (const projection of projections) {
    const result = await verifyProjection(eventStore, documentStore, projection, { ...options, onProgress: (report) => line.update(report) });
    line.clear();
    for (const { collection, id, problem, properties } of result.differences) {
      out.write(`${projection.name} ${collection} ${id}: ${problem}${properties ? ` (${properties.join(', ')})` : ''}\n`);
    }
    out.write(summaryOf(result));
    results.push(result);
  }
  return results;
}

function summaryOf({ projection, collections, position, events, checked, skipped, differences, seconds }: VerifyResult): string {
  const verdict = differences.length === 0 ? 'no difference' : `${differences.length} difference(s)`;
  return (
    `${projection}: ${checked} documents of ${collections.join(', ')} checked against ${events} events of the log up to position ${position}` +
    `${skipped ? ` (${skipped} newer skipped)` : ''} in ${seconds.toFixed(1)} s: ${verdict}\n`
  );
}

function projectionsNamed(names: string[]): readonly Projection[] {
  if (names.length === 0) return ALL_PROJECTIONS;
  return [...new Set(names)].map((name) => {
    const projection = ALL_PROJECTIONS.find((candidate) => candidate.name === name);
    if (!projection) throw new Error(`usage: ${VERIFY_USAGE}`);
    return projection;
  });
}
