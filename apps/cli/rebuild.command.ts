import { openEventStore } from '../../libs/event-store/open-event-store.js';
import type { EventStore } from '../../libs/event-store/event-store.port.js';
import type { DocumentStore } from '../../libs/read-models/document-store/document-store.port.js';
import { openDocumentStore } from '../../libs/read-models/open-document-store.js';
import { CONTACT_PROJECTION_NAMES, CONTACT_PROJECTIONS } from '../../libs/read-models/projections/contact-projections.js';
import type { Projection } from '../../libs/read-models/projections/projection.js';
import { rebuildProjection, type RebuildResult } from '../../libs/read-models/projections/rebuild-projection.js';
import { loadConfig } from '../../libs/shared-kernel/config.js';
import { ProgressLine, type ProgressStream } from './progress-line.js';

export const REBUILD_USAGE = `rebuild <${CONTACT_PROJECTION_NAMES.join('|')}|all>
  Replays the log into fresh collections on MONGODB_URI and swaps them in; a projector or an API
  running the same projections pauses only for the swap. Needs MONGODB_URI: in-memory read
  models live inside the API process and are rebuilt at each start.`;

export async function rebuildCommand(args: string[], env: Record<string, string | undefined> = process.env): Promise<void> {
  const projections = projectionsNamed(args);
  const config = loadConfig(env);
  if (!config.mongodbUri) {
    throw new Error(
      'rebuild needs MONGODB_URI: without it the read models are in memory, inside the API process, and rebuilt from the log at each start; restart the API instead.',
    );
  }
  const eventStore = openEventStore(config);
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
  if (name === 'all' && rest.length === 0) return CONTACT_PROJECTIONS;
  const projection = CONTACT_PROJECTIONS.find((candidate) => candidate.name === name);
  if (!projection || rest.length > 0) throw new Error(`usage: ${REBUILD_USAGE}`);
  return [projection];
}
