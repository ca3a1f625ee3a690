export {
  canEditContacts,
  workspacePermissionsDecider,
  workspaceStreamId,
  WORKSPACE_EVENT_SCHEMAS,
  type WorkspacePermissionsCommand,
  type WorkspacePermissionsEvent,
  type WorkspacePermissionsState,
} from './workspace-permissions.js';
export { WorkspacePermissions } from './workspace-permissions.service.js';
export { activeCustomFields, customFieldsDecider, CUSTOM_FIELDS_EVENT_SCHEMAS, type CustomFieldDefinition } from './custom-field-definitions.js';
export { workspaceSpellingOf, workspaceTagsDecider, WORKSPACE_TAGS_EVENT_SCHEMAS } from './workspace-tags.js';
export { normalizeTag } from './tag-name.js';
export { WorkspaceCustomFields } from './custom-fields.service.js';
