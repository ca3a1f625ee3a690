export const DOCUMENT_STORE = Symbol('DocumentStore');
/** The in-process ProjectionRunner, or null where apps/projector runs the projections. */
export const PROJECTION_RUNNER = Symbol('ProjectionRunner');
