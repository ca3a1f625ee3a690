import { Command } from '@nestjs/cqrs';
import type { HandleOptions } from '../../../libs/event-store/aggregate-store.js';
import type { Channel, ChannelValues, ContactView } from '../../../libs/domain/contacts/index.js';
import type { CommandContext } from '../../../libs/shared-kernel/event-metadata.js';

/** What every contact write answers: the new stream version and the log position to wait for. */
export interface ContactWriteResult {
  view: ContactView;
  version: number;
  position: number;
  /** The command registered the contact (201 rather than 200). */
  created: boolean;
}

export class ReportChannelContactCommand extends Command<ContactWriteResult> {
  constructor(
    readonly context: CommandContext,
    readonly report: { channel: Channel; channelContactId: string; values: ChannelValues },
    readonly options: HandleOptions,
  ) {
    super();
  }
}

export class EditContactCommand extends Command<ContactWriteResult> {
  constructor(
    readonly context: CommandContext,
    readonly contactId: string,
    readonly changes: Record<string, string | null>,
    readonly options: HandleOptions,
  ) {
    super();
  }
}

export class RestoreContactFromChannelCommand extends Command<ContactWriteResult> {
  constructor(
    readonly context: CommandContext,
    readonly contactId: string,
    readonly fields: string[] | undefined,
    readonly options: HandleOptions,
  ) {
    super();
  }
}
