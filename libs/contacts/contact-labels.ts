import { Inject, Injectable } from '@nestjs/common';
import { AggregateStore } from '../eventsourcing/aggregate-store.js';
import { InvalidValuesError } from '../eventsourcing/domain-errors.js';
import type { CommandContext } from '../eventsourcing/event-metadata.js';
import { normalizeTag, workspaceSpellingOf, workspaceStreamId, workspaceTagsDecider } from '../workspace/index.js';
import { ContactWrites, type ContactWriteResult } from './contact-writes.js';

/** Tags and blocking: what agents with the editing permission, managers and owners do to a contact. */
@Injectable()
export class ContactLabels {
  constructor(
    @Inject(AggregateStore) private readonly aggregates: AggregateStore,
    @Inject(ContactWrites) private readonly writes: ContactWrites,
  ) {}

  /**
   * Assigns the tag in the workspace's spelling (the given one when the tag is new). The
   * contact's command runs first, so a refused assignment (unknown contact, stale version)
   * creates no workspace tag; `TagCreated` follows only a tag that was new.
   */
  async assignTag(context: CommandContext, contactId: string, rawTag: string): Promise<ContactWriteResult> {
    const checked = normalizeTag(rawTag);
    if (!checked.ok) throw new InvalidValuesError([{ field: 'tag', message: checked.message }]);
    const workspaceStream = workspaceStreamId(context.workspace);
    const { state: workspace } = await this.aggregates.load(workspaceStream, workspaceTagsDecider);
    const known = workspaceSpellingOf(workspace, checked.value);
    const result = await this.writes.byEditor(context, { type: 'AssignTag', contactId, tag: known ?? checked.value });
    if (!known && result.appended > 0) {
      const { expectedVersion: _, idempotencyKey: __, ...onTheWorkspace } = context;
      await this.aggregates.handle(workspaceStream, workspaceTagsDecider, { type: 'CreateTag', name: checked.value }, onTheWorkspace);
    }
    return result;
  }

  removeTag(context: CommandContext, contactId: string, tag: string): Promise<ContactWriteResult> {
    return this.writes.byEditor(context, { type: 'RemoveTag', contactId, tag });
  }

  block(context: CommandContext, contactId: string): Promise<ContactWriteResult> {
    return this.writes.byEditor(context, { type: 'BlockContact', contactId });
  }

  unblock(context: CommandContext, contactId: string): Promise<ContactWriteResult> {
    return this.writes.byEditor(context, { type: 'UnblockContact', contactId });
  }
}
