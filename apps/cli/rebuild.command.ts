import { openEventLog } from '../shared/event-log.js';
import type { EventStore } from '../../libs/event-store/event-store.port.js';
import type { DocumentStore } from '../../libs/document-store/document-store.port.js';
import { openDocumentStore } from '../../libs/document-store/open-document-store.js';
import { ALL_PROJECTION_NAMES, ALL_PROJECTIONS } from '../shared/projections.js';
import type { Projection } from '../../libs/projections/projection.js';
import { rebuildProjection, type RebuildResult } from '../../libs/projections/rebuild-projection.js';
import { loadConfig } from '../../libs/config/config.js';
import { ProgressLine, type ProgressStream } from './progress-line.js';

export const REBUILD_USAGE = `rebuild <${ALL_PROJECTION_NAMES.join('|')}|all>
  Replays the log into fresh collections (on MONGODB_URI, else in DATA_DIR/read-models.sqlite)
  and swaps them in; a projector or an API running the same projections pauses only for the swap.`;

export async function rebuildCommand(args: string[], env: Record<string, string | undefined> = process.env): Promise<void> {
  const projections = projectionsNamed(args);
  const config = loadConfig(env);
  const eventStore = await openEventLog(config);
  try {
    const documentStore = await openDocumentStore(config);
    try {
      await rebuildProjections(eventStore, documentStore, projections, process.stderr);
    } finally {
      await documentStore.close();
    }
  } finally {
    await eventStore.close();
  }
}

/** Rebuilds the projections one after another, reporting progress and a summary of each on `stream`. */
export async function rebuildProjections(
  eventStore: EventStore,
  documentStore: DocumentStore,
  projections: readonly Projection[],
  stream: ProgressStream,
): Promise<RebuildResult[]> {
  const line = new ProgressLine(stream);
  const results: RebuildResult[] = [];
  for (const projection of projections) {
    const result = await rebuildProjection(eventStore, documentStore, projection, { onProgress: (progress) => line.update(progress) });
    line.finish(projection.name, result);
    results.push(result);
  }
  return results;
}

function projectionsNamed(args: string[]): readonly Projection[] {
  const [name, ...rest] = args;
  if (name === 'all' && rest.length === 0) return ALL_PROJECTIONS;
  const projection = ALL_PROJECTIONS.find((candidate) => candidate.name === name);
  if (!projection || rest.length > 0) throw new Error(`usage: ${REBUILD_USAGE}`);
  return [projection];
}
