import { Inject, Injectable } from '@nestjs/common';
import { AggregateStore, type Authorize } from '../eventsourcing/aggregate-store.js';
import type { CommandContext } from '../eventsourcing/event-metadata.js';
import { activeCustomFields, customFieldsDecider, workspaceStreamId, type CustomFieldDefinition } from '../workspace/index.js';
import { ContactAccess } from './contact-access.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { ContactDeletedError } from './deletion/contact-deleted-error.js';
import type { ContactCommand, EditContactFields } from './contact-commands.js';
import { contactDecider } from './contact-decider.js';
import type { Channel, EditableField } from './contact-fields.js';
import type { ChannelValues } from './contact-events.js';
import { canonicalChannelContactId, contactIdFor, contactStreamId } from './contact-ids.js';
import type { ContactState } from './contact-state.js';
import { contactViewOf, type ContactView } from './projections/contact-views/contact-view.js';

/** What every contact write answers: the view after it, the new stream version and the log position to wait for. */
export interface ContactWriteResult {
  contactId: string;
  view: ContactView;
  version: number;
  position: number;
  /** The command registered the contact (201 rather than 200). */
  created: boolean;
  /** How many events the command appended (0: it changed nothing). */
  appended: number;
}

/**
 * The contacts feature's writes: each runs the contact decider through the core, with the
 * access check (tenancy, then permissions) on the loaded state before `decide`.
 */
@Injectable()
export class ContactWrites {
  constructor(
    @Inject(AggregateStore) private readonly aggregates: AggregateStore,
    @Inject(ContactAccess) private readonly access: ContactAccess,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** To the identity's live contact: after a deletion, the next generation's id, a contact with no old values. */
  async report(context: CommandContext, report: { channel: Channel; channelContactId: string; values: ChannelValues }): Promise<ContactWriteResult> {
    const channelContactId = canonicalChannelContactId(report.channel, report.channelContactId);
    for (let attempt = 1; ; attempt++) {
      const contactId = await this.liveContactId(context.workspace, report.channel, channelContactId);
      const command: ContactCommand = { type: 'ReportChannelContact', contactId, workspace: context.workspace, ...report, channelContactId };
      try {
        return await this.run(command, context, this.access.toReport(context, contactId));
      } catch (error) {
        // Deleted between the lookup and the write: the next generation takes the report.
        if (!(error instanceof ContactDeletedError) || attempt >= 3) throw error;
      }
    }
  }

  /** Standard fields and, under `customFields`, values checked against the workspace's active custom fields. */
  async edit(context: CommandContext, contactId: string, changes: Record<string, unknown>): Promise<ContactWriteResult> {
    const { customFields, ...fields } = changes;
    const command: EditContactFields = { type: 'EditContactFields', contactId, changes: fields as EditContactFields['changes'] };
    if (customFields !== undefined) {
      command.customFields = customFields as Record<string, unknown>;
      command.definitions = await this.customFieldDefinitions(context.workspace);
    }
    return this.run(command, context, this.access.toEdit(context, contactId));
  }

  restoreFromChannel(context: CommandContext, contactId: string, fields: string[] | undefined): Promise<ContactWriteResult> {
    const command: ContactCommand = { type: 'RestoreFromChannel', contactId, ...(fields ? { fields: fields as EditableField[] } : {}) };
    return this.run(command, context, this.access.toEdit(context, contactId));
  }

  /** A command the route's roles may all give, for any contact of the workspace (self-service links, the customer's edit). */
  inWorkspace(context: CommandContext, command: ContactCommand): Promise<ContactWriteResult> {
    return this.run(command, context, this.access.toReport(context, command.contactId));
  }

  /** Any other command an editor may give (tags, blocking). */
  byEditor(context: CommandContext, command: ContactCommand): Promise<ContactWriteResult> {
    return this.run(command, context, this.access.toEdit(context, command.contactId));
  }

  private async run(command: ContactCommand, context: CommandContext, authorize: Authorize<ContactState>): Promise<ContactWriteResult> {
    const { contactId } = command;
    const streamId = contactStreamId(contactId);
    const result = await this.aggregates.handle(streamId, contactDecider, command, context, { authorize, personalDataKey: streamId });
    return {
      contactId,
      view: await this.withActiveCustomFields(context.workspace, contactViewOf(result.state)),
      version: result.version,
      position: result.position,
      created: result.appended.some((event) => event.type === 'ContactRegistered'),
      appended: result.appended.length,
    };
  }

  /** The view shows the values of active custom fields only: an archived field leaves every view. */
  private async withActiveCustomFields(workspace: string, view: ContactView): Promise<ContactView> {
    if (Object.keys(view.customFields).length === 0) return view;
    const active = new Set((await this.customFieldDefinitions(workspace)).map((definition) => definition.name));
    return { ...view, customFields: Object.fromEntries(Object.entries(view.customFields).filter(([name]) => active.has(name))) };
  }

  private async liveContactId(workspace: string, channel: Channel, channelContactId: string): Promise<string> {
    for (let generation = 0; ; generation++) {
      const contactId = contactIdFor(workspace, channel, channelContactId, generation);
      const [last] = await this.store.readStream(contactStreamId(contactId), { direction: 'backwards', maxCount: 1 });
      if (last?.type !== 'ContactDeleted') return contactId;
    }
  }

  /** The workspace's active custom fields: what values are checked against, and what views show. */
  async customFieldDefinitions(workspace: string): Promise<CustomFieldDefinition[]> {
    const { state } = await this.aggregates.load(workspaceStreamId(workspace), customFieldsDecider);
    return activeCustomFields(state);
  }
}
