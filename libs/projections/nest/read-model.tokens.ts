export const DOCUMENT_STORE = Symbol('DocumentStore');
/** The projections this process runs (RunningProjections), or null where apps/projector runs them. */
export const PROJECTION_RUNNER = Symbol('ProjectionRunner');
/** Where the read models live, as the operator configured it (for messages). */
export const READ_MODELS_LOCATION = Symbol('ReadModelsLocation');
/** The names of the projections the API reads, wherever they run. */
export const PROJECTION_NAMES = Symbol('ProjectionNames');
/** The projections whose read models the API serves (checked against the log by ReadModelMonitor). */
export const PROJECTIONS = Symbol('Projections');
