import { Inject, Injectable } from '@nestjs/common';
import { AggregateStore } from '../eventsourcing/aggregate-store.js';
import type { CommandContext } from '../eventsourcing/event-metadata.js';
import { workspacePermissionsDecider, workspaceStreamId } from './workspace-permissions.js';

export interface ContactEditors {
  agentIds: string[];
  version: number;
  position?: number;
}

/** Grants and withdraws the contact-editing permission; the roles allowed are checked by the HTTP layer. */
@Injectable()
export class WorkspacePermissions {
  constructor(@Inject(AggregateStore) private readonly aggregates: AggregateStore) {}

  async setContactEditing(context: CommandContext, agentIds: string[], allowed: boolean): Promise<Required<ContactEditors>> {
    const command = { type: allowed ? 'GrantContactEditing' : 'RevokeContactEditing', agentIds } as const;
    const result = await this.aggregates.handle(workspaceStreamId(context.workspace), workspacePermissionsDecider, command, context);
    return { agentIds: [...result.state.contactEditors].sort(), version: result.version, position: result.position };
  }

  async contactEditors(context: Pick<CommandContext, 'workspace'>): Promise<ContactEditors> {
    const { state, version } = await this.aggregates.load(workspaceStreamId(context.workspace), workspacePermissionsDecider);
    return { agentIds: [...state.contactEditors].sort(), version };
  }
}
