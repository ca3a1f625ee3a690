import { Inject, Injectable } from '@nestjs/common';
import { AggregateStore } from '../../../libs/event-store/aggregate-store.js';
import {
  canEditContacts,
  workspacePermissionsDecider,
  workspaceStreamId,
} from '../../../libs/domain/workspace/workspace-permissions.js';
import { ForbiddenError } from '../../../libs/shared-kernel/domain-errors.js';
import type { CommandContext } from '../../../libs/shared-kernel/event-metadata.js';

/** Owners and managers edit contacts; an agent only with the permission a manager granted it. */
@Injectable()
export class ContactEditingPolicy {
  constructor(@Inject(AggregateStore) private readonly aggregates: AggregateStore) {}

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
