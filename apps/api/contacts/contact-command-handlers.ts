import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore, type HandleOptions, type HandleResult } from '../../../libs/event-store/aggregate-store.js';
import {
  canonicalChannelContactId,
  contactDecider,
  contactIdFor,
  contactStreamId,
  contactViewFrom,
  type ContactCommand,
  type ContactEvent,
  type ContactState,
  type EditableField,
  type RecordedContactEvent,
} from '../../../libs/domain/contacts/index.js';
import type { Decider } from '../../../libs/domain/decider.js';
import { NotFoundError } from '../../../libs/shared-kernel/domain-errors.js';
import type { CommandContext } from '../../../libs/shared-kernel/event-metadata.js';
import { ContactEditingPolicy } from './contact-editing.policy.js';
import {
  EditContactCommand,
  ReportChannelContactCommand,
  RestoreContactFromChannelCommand,
  type ContactWriteResult,
} from './contact-commands.js';

/** Loads the contact's stream, decides, appends with the expected revision; answers the new view. */
@Injectable()
export class ContactCommandRunner {
  constructor(@Inject(AggregateStore) private readonly aggregates: AggregateStore) {}

  async run(contactId: string, command: ContactCommand, context: CommandContext, options: HandleOptions): Promise<ContactWriteResult> {
    const result = await this.aggregates.handle(contactStreamId(contactId), inWorkspace(context.workspace), command, context, {
      ...options,
      personalDataKey: contactStreamId(contactId),
    });
    return toWriteResult(result);
  }
}

/** A contact of another workspace does not exist for this caller (API.md: 404, as if it did not). */
function inWorkspace(workspace: string): Decider<ContactCommand, ContactState, ContactEvent> {
  return {
    ...contactDecider,
    decide(command, state) {
      if (state.exists && state.workspace !== workspace) throw new NotFoundError(`Contact ${command.contactId} not found`);
      return contactDecider.decide(command, state);
    },
  };
}

function toWriteResult(result: HandleResult<ContactState, ContactEvent>): ContactWriteResult {
  const view = contactViewFrom(result.events as RecordedContactEvent[]);
  if (!view) throw new Error('a contact write left no contact');
  return {
    view,
    version: result.version,
    position: result.position,
    created: result.appended.some((event) => event.type === 'ContactRegistered'),
  };
}

@CommandHandler(ReportChannelContactCommand)
export class ReportChannelContactHandler implements ICommandHandler<ReportChannelContactCommand> {
  constructor(@Inject(ContactCommandRunner) private readonly runner: ContactCommandRunner) {}

  execute({ context, report, options }: ReportChannelContactCommand): Promise<ContactWriteResult> {
    const channelContactId = canonicalChannelContactId(report.channel, report.channelContactId);
    const contactId = contactIdFor(context.workspace, report.channel, channelContactId);
    const command: ContactCommand = { type: 'ReportChannelContact', contactId, workspace: context.workspace, ...report, channelContactId };
    return this.runner.run(contactId, command, context, options);
  }
}

@CommandHandler(EditContactCommand)
export class EditContactHandler implements ICommandHandler<EditContactCommand> {
  constructor(
    @Inject(ContactCommandRunner) private readonly runner: ContactCommandRunner,
    @Inject(ContactEditingPolicy) private readonly policy: ContactEditingPolicy,
  ) {}

  async execute({ context, contactId, changes, options }: EditContactCommand): Promise<ContactWriteResult> {
    await this.policy.assertMayEdit(context);
    return this.runner.run(contactId, { type: 'EditContactFields', contactId, changes }, context, options);
  }
}

@CommandHandler(RestoreContactFromChannelCommand)
export class RestoreContactFromChannelHandler implements ICommandHandler<RestoreContactFromChannelCommand> {
  constructor(
    @Inject(ContactCommandRunner) private readonly runner: ContactCommandRunner,
    @Inject(ContactEditingPolicy) private readonly policy: ContactEditingPolicy,
  ) {}

  async execute({ context, contactId, fields, options }: RestoreContactFromChannelCommand): Promise<ContactWriteResult> {
    await this.policy.assertMayEdit(context);
    const command: ContactCommand = { type: 'RestoreFromChannel', contactId, ...(fields ? { fields: fields as EditableField[] } : {}) };
    return this.runner.run(contactId, command, context, options);
  }
}
