import type { Decider } from '../eventsourcing/decider.js';
import { isEventOf, type EventSchemas } from '../eventsourcing/event-schemas.js';

/**
 * Who may edit contacts in a workspace (Blip Desk seed): owners and managers always may;
 * an agent may once a manager or owner has granted it, per workspace, to one agent or many.
 */
export type WorkspacePermissionsCommand =
  | { type: 'GrantContactEditing'; agentIds: string[] }
  | { type: 'RevokeContactEditing'; agentIds: string[] };

export type WorkspacePermissionsEvent =
  | { type: 'ContactEditingGranted'; data: { agentIds: string[] } }
  | { type: 'ContactEditingRevoked'; data: { agentIds: string[] } };

export interface WorkspacePermissionsState {
  contactEditors: ReadonlySet<string>;
}

/** What the workspace feature publishes about its events; the composition root merges it with the others'. */
export const WORKSPACE_EVENT_SCHEMAS: EventSchemas<WorkspacePermissionsEvent> = {
  versions: { ContactEditingGranted: 1, ContactEditingRevoked: 1 },
};

export const workspaceStreamId = (workspace: string): string => `workspace-${workspace}`;

export function canEditContacts(state: WorkspacePermissionsState, agentId: string): boolean {
  return state.contactEditors.has(agentId);
}

export const workspacePermissionsDecider: Decider<WorkspacePermissionsCommand, WorkspacePermissionsState, WorkspacePermissionsEvent> = {
  initialState: () => ({ contactEditors: new Set() }),

  decide(command, state) {
    const agentIds = [...new Set(command.agentIds)];
    if (command.type === 'GrantContactEditing') {
      const granted = agentIds.filter((id) => !state.contactEditors.has(id));
      return granted.length ? [{ type: 'ContactEditingGranted', data: { agentIds: granted } }] : [];
    }
    const revoked = agentIds.filter((id) => state.contactEditors.has(id));
    return revoked.length ? [{ type: 'ContactEditingRevoked', data: { agentIds: revoked } }] : [];
  },

  isEvent: isEventOf(WORKSPACE_EVENT_SCHEMAS),

  evolve(state, event) {
    // The workspace stream also holds tags and custom-field definitions: other deciders' events.
    if (event.type !== 'ContactEditingGranted' && event.type !== 'ContactEditingRevoked') return state;
    const editors = new Set(state.contactEditors);
    for (const id of event.data.agentIds) {
      if (event.type === 'ContactEditingGranted') editors.add(id);
      else editors.delete(id);
    }
    return { contactEditors: editors };
  },
};
