import { Inject, Injectable } from '@nestjs/common';
import { AggregateStore, type Authorize } from '../eventsourcing/aggregate-store.js';
import { ForbiddenError, NotFoundError } from '../eventsourcing/domain-errors.js';
import type { CommandContext } from '../eventsourcing/event-metadata.js';
import { canEditContacts, workspacePermissionsDecider, workspaceStreamId } from '../workspace/index.js';
import type { ContactState } from './contact-state.js';

/**
 * Who may see and change a contact, checked once per command or query, before `decide` or before
 * a read answers. A contact of another workspace does not exist for the caller (API.md: 404).
 */
@Injectable()
export class ContactAccess {
  constructor(@Inject(AggregateStore) private readonly aggregates: AggregateStore) {}

  /** Tenancy, the same for every read and write: `contactWorkspace` is null when there is no such contact. */
  assertVisible(context: Pick<CommandContext, 'workspace'>, contactId: string, contactWorkspace: string | null): void {
    if (contactWorkspace !== null && contactWorkspace !== context.workspace) throw contactNotFound(contactId);
  }

  /** What a channel's report needs: the contact's id derives from the workspace, so tenancy alone. */
  toReport(context: CommandContext, contactId: string): Authorize<ContactState> {
    return (state) => this.assertVisible(context, contactId, state.workspace);
  }

  /** Owners and managers edit contacts; an agent only with the permission a manager granted it. */
  toEdit(context: CommandContext, contactId: string): Authorize<ContactState> {
    return async (state) => {
      await this.assertMayEdit(context);
      this.assertVisible(context, contactId, state.workspace);
    };
  }

  async assertMayEdit({ actor, workspace }: CommandContext): Promise<void> {
    if (actor.role === 'owner' || actor.role === 'manager') return;
    if (actor.role === 'agent') {
      const { state } = await this.aggregates.load(workspaceStreamId(workspace), workspacePermissionsDecider);
      if (canEditContacts(state, actor.id)) return;
      throw new ForbiddenError('Editing contacts needs a permission that a manager grants you in this workspace');
    }
    throw new ForbiddenError(`The ${actor.role} role may not edit contacts`);
  }
}

export function contactNotFound(contactId: string): NotFoundError {
  return new NotFoundError(`Contact ${contactId} not found`);
}
