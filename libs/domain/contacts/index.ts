export * from './contact-fields.js';
export * from './contact-events.js';
export * from './contact-commands.js';
export * from './contact-state.js';
export * from './contact-ids.js';
export * from './contact-decider.js';
export * from './contact-view.js';
export { normalizeField, type FieldRuleResult } from './field-rules.js';
