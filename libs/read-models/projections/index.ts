export type { Projection, ProjectionCollections } from './projection.js';
export { projectionCollections } from './projection.js';
export { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner.js';
export type { ProjectionLogger } from './projection-loop.js';
export type { ProjectionProgress, OnProgress } from './projection-progress.js';
export { rebuildProjection, type RebuildOptions, type RebuildResult } from './rebuild-projection.js';
export { CHECKPOINTS_COLLECTION, readCheckpoints, waitForCheckpoints, type CheckpointDocument } from './checkpoints.js';
export { InvalidCursorError } from './keyset-cursor.js';
export { CONTACT_PROJECTIONS } from './contact-projections.js';
export { contactViewsProjection, CONTACT_VIEWS_COLLECTION, type ContactViewDocument } from './contact-views/contact-views.projection.js';
export { findContactViews } from './contact-views/find-contact-views.js';
export { contactSearchProjection, CONTACT_SEARCH_COLLECTION, type ContactSearchDocument } from './contact-search/contact-search.projection.js';
export { searchContacts, type SearchContactsQuery } from './contact-search/search-contacts.js';
export { searchTokensOf, queryTokensOf, sortKeyOf, type SearchableContact } from './contact-search/search-tokens.js';
export {
  contactHistoryProjection,
  CONTACT_HISTORY_COLLECTION,
  CONTACT_HISTORY_STATE_COLLECTION,
  type ContactHistoryDocument,
  type ContactHistoryStateDocument,
} from './contact-history/contact-history.projection.js';
export { queryHistory, type HistoryQuery, type ContactHistoryEntry } from './contact-history/query-history.js';
