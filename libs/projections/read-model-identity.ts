import type { EventStore } from '../event-store/event-store.port.js';
import type { DocumentStore } from '../document-store/document-store.port.js';
import { checkpointsOf, type CheckpointDocument } from './checkpoints.js';
import type { Projection } from './projection.js';

/** Why a projection's read models may not be served with this log. */
export type ReadModelProblem =
  | { projection: string; kind: 'another-log'; logId: string; position: number }
  | { projection: string; kind: 'beyond-head'; position: number; head: number }
  | { projection: string; kind: 'unknown-log'; position: number };

export interface ReadModelsCheck {
  /** The id of the log the check was made against. */
  logId: string;
  head: number;
  /** Each projection's stored position (0 for none). */
  checkpoints: Record<string, number>;
  problems: ReadModelProblem[];
}

export const REBUILD_ALL_COMMAND = 'npm run cli -- rebuild all';

/**
 * Compares the projections' checkpoints with the log: read models are this log's when their
 * checkpoint records this log's id and a position the log has reached. Read models built from
 * another log, ahead of the log (a log restored from an older backup), or holding documents
 * without a recorded log (built before log ids, or their checkpoint lost) are problems.
 */
export async function checkReadModels(
  eventStore: EventStore,
  documentStore: DocumentStore,
  projections: readonly Projection[],
): Promise<ReadModelsCheck> {
  const logId = await eventStore.logId();
  const stored = await checkpointsOf(documentStore).find({ _id: { $in: projections.map((projection) => projection.name) } });
  // The head is read after the checkpoints: a live loop never stores a position the log had not reached.
  const head = await eventStore.headPosition();
  const byName = new Map(stored.map((checkpoint) => [checkpoint._id, checkpoint]));
  const problems: ReadModelProblem[] = [];
  const checkpoints: Record<string, number> = {};
  for (const projection of projections) {
    checkpoints[projection.name] = byName.get(projection.name)?.position ?? 0;
    const problem = await problemOf(documentStore, projection, byName.get(projection.name), logId, head);
    if (problem) problems.push(problem);
  }
  return { logId, head, checkpoints, problems };
}

async function problemOf(
  documentStore: DocumentStore,
  projection: Projection,
  checkpoint: CheckpointDocument | undefined,
  logId: string,
  head: number,
): Promise<ReadModelProblem | undefined> {
  const position = checkpoint?.position ?? 0;
  const name = projection.name;
  if (checkpoint?.logId !== undefined && checkpoint.logId !== logId) return { projection: name, kind: 'another-log', logId: checkpoint.logId, position };
  if (position > head) return { projection: name, kind: 'beyond-head', position, head };
  if (checkpoint?.logId === undefined && (position > 0 || (await holdsDocuments(documentStore, projection)))) {
    return { projection: name, kind: 'unknown-log', position };
  }
  return undefined;
}

async function holdsDocuments(documentStore: DocumentStore, projection: Projection): Promise<boolean> {
  for (const name of projection.collections) {
    if ((await documentStore.collection(name).find({}, { limit: 1, projection: { _id: 1 } })).length > 0) return true;
  }
  return false;
}

/**
 * Checks the read models against the log (checkReadModels) and refuses them with
 * ReadModelsRefusedError when any is another log's; else records this log's id in the
 * checkpoints that have none yet (new read models), and answers the log id.
 */
export async function claimReadModels(
  eventStore: EventStore,
  documentStore: DocumentStore,
  projections: readonly Projection[],
  where?: string,
): Promise<string> {
  const check = await checkReadModels(eventStore, documentStore, projections);
  if (check.problems.length > 0) throw new ReadModelsRefusedError(check, where);
  const withLogId = await checkpointsOf(documentStore).find({
    _id: { $in: projections.map((projection) => projection.name) },
    logId: { $exists: true },
  });
  const claimed = new Set(withLogId.map((checkpoint) => checkpoint._id));
  for (const { name } of projections) {
    if (!claimed.has(name)) await checkpointsOf(documentStore).updateOne({ _id: name }, { $set: { logId: check.logId } }, { upsert: true });
  }
  return check.logId;
}

/** The read models belong to another log: none of them is served. The message names both logs and the fix. */
export class ReadModelsRefusedError extends Error {
  constructor(
    readonly check: ReadModelsCheck,
    where = 'the read-model database',
  ) {
    super(
      [
        `Refusing to serve the read models in ${where}: they do not belong to this event log (log id ${check.logId}, head position ${check.head}).`,
        ...check.problems.map((problem) => `  - ${describeProblem(problem)}`),
        `Rebuild them from this log with \`${REBUILD_ALL_COMMAND}\` (same configuration; it replaces their content),`,
        'or point MONGODB_URI / MONGODB_DATABASE (DATA_DIR for the embedded store) at the read models of this log.',
      ].join('\n'),
    );
    this.name = 'ReadModelsRefusedError';
  }
}

export function describeProblem(problem: ReadModelProblem): string {
  switch (problem.kind) {
    case 'another-log':
      return `${problem.projection}: built from another log, log id ${problem.logId} (checkpoint ${problem.position})`;
    case 'beyond-head':
      return (
        `${problem.projection}: checkpoint ${problem.position} is beyond this log's head ${problem.head} ` +
        '(the log was restored from an older backup, or replaced)'
      );
    case 'unknown-log':
      return `${problem.projection}: holds read models (checkpoint ${problem.position}) but records no log id (built before log ids, or its checkpoint was lost)`;
  }
}
