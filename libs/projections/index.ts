export type { Projection, ProjectionCollections } from './projection.js';
export { projectionCollections } from './projection.js';
export { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner.js';
export type { ProjectionLogger } from './projection-loop.js';
export type { ProjectionProgress, OnProgress } from './projection-progress.js';
export { REBUILD_BATCH_SIZE, rebuildProjection, type RebuildOptions, type RebuildResult } from './rebuild-projection.js';
export { CHECKPOINTS_COLLECTION, readCheckpoints, waitForCheckpoints, type CheckpointDocument } from './checkpoints.js';
export { documentProjection, type DocumentProjectionDefinition, type Positioned } from './document-projection.js';
export { groupBy } from './group-by.js';
