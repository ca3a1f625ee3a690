import type { Decider } from '../eventsourcing/decider.js';
import Type from 'typebox';
import { eventSchemasOf, isEventOf, type EventsOf } from '../eventsourcing/event-schemas.js';

/**
 * Who may edit contacts in a workspace (Blip Desk seed): owners and managers always may;
 * an agent may once a manager or owner has granted it, per workspace, to one agent or many.
 */
export type WorkspacePermissionsCommand =
  | { type: 'GrantContactEditing'; agentIds: string[] }
  | { type: 'RevokeContactEditing'; agentIds: string[] };

const AgentIds = Type.Array(Type.String(), { minItems: 1, description: "The agents' ids (their tokens' `sub`)" });

const WORKSPACE_PERMISSIONS_EVENT_DATA = {
  ContactEditingGranted: Type.Object(
    { agentIds: AgentIds },
    { additionalProperties: false, description: 'A manager or owner let these agents edit contacts of the workspace', examples: [{ agentIds: ['agent-7'] }] },
  ),
  ContactEditingRevoked: Type.Object(
    { agentIds: AgentIds },
    { additionalProperties: false, description: 'These agents may no longer edit contacts of the workspace', examples: [{ agentIds: ['agent-7'] }] },
  ),
};

export type WorkspacePermissionsEvent = EventsOf<typeof WORKSPACE_PERMISSIONS_EVENT_DATA>;

export interface WorkspacePermissionsState {
  contactEditors: ReadonlySet<string>;
}

/** What the workspace feature publishes about its events; the composition root merges it with the others'. */
export const WORKSPACE_EVENT_SCHEMAS = eventSchemasOf(WORKSPACE_PERMISSIONS_EVENT_DATA);

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
