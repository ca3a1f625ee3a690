import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregateStore } from '../../eventsourcing/aggregate-store.js';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store.js';
import {
  contactDecider,
  contactIdFor,
  contactStreamId,
  CONTACT_EVENT_SCHEMAS,
  type Channel,
  type ChannelValues,
  type EditableField,
} from '../index.js';
import {
  CUSTOM_FIELDS_EVENT_SCHEMAS,
  workspacePermissionsDecider,
  workspaceStreamId,
  WORKSPACE_EVENT_SCHEMAS,
  WORKSPACE_TAGS_EVENT_SCHEMAS,
} from '../../workspace/index.js';
import type { Actor, CommandContext, Source } from '../../eventsourcing/event-metadata.js';
import { EventSchemaRegistry } from '../../eventsourcing/event-schemas.js';

export const OWNER: Actor = { id: 'owner-1', role: 'owner' };
export const AGENT: Actor = { id: 'agent-7', role: 'agent' };
const CONNECTOR: Actor = { id: 'connector-1', role: 'integration' };

interface By {
  workspace?: string;
  actor?: Actor;
  at?: Date;
}

/**
 * A real event log on a temporary SQLite file, written through the contact decider as the
 * API does. Each helper answers the log position of the command's last event.
 */
export class ContactLog {
  readonly store: SqliteEventStore;
  private readonly aggregates: AggregateStore;

  private constructor(readonly dataDir: string) {
    this.store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
    this.aggregates = new AggregateStore(this.store, EventSchemaRegistry.of(CONTACT_EVENT_SCHEMAS, WORKSPACE_EVENT_SCHEMAS, WORKSPACE_TAGS_EVENT_SCHEMAS, CUSTOM_FIELDS_EVENT_SCHEMAS));
  }

  static open(): ContactLog {
    return new ContactLog(mkdtempSync(join(tmpdir(), 'projections-')));
  }

  async report(
    channel: Channel,
    channelContactId: string,
    values: ChannelValues,
    { workspace = 'acme', at }: By = {},
  ): Promise<{ contactId: string; position: number }> {
    const contactId = contactIdFor(workspace, channel, channelContactId);
    const result = await this.aggregates.handle(
      contactStreamId(contactId),
      contactDecider,
      { type: 'ReportChannelContact', contactId, workspace, channel, channelContactId, values },
      contextOf(workspace, CONNECTOR, 'channel', at),
    );
    return { contactId, position: result.position };
  }

  async edit(contactId: string, changes: Partial<Record<EditableField, string | null>>, by: By = {}): Promise<number> {
    return this.contactCommand(contactId, { type: 'EditContactFields', contactId, changes }, by);
  }

  async restore(contactId: string, fields: EditableField[] | undefined, by: By = {}): Promise<number> {
    return this.contactCommand(contactId, { type: 'RestoreFromChannel', contactId, fields }, by);
  }

  async tag(contactId: string, tag: string, by: By = {}): Promise<number> {
    return this.contactCommand(contactId, { type: 'AssignTag', contactId, tag }, by);
  }

  /** `ContactDeleted` (without destroying a key: this log writes no personal data encrypted). */
  async delete(contactId: string, by: By = {}): Promise<number> {
    return this.contactCommand(contactId, { type: 'DeleteContact', contactId }, by);
  }

  /** An event of a `workspace-` stream: contact projections ignore it. */
  async grantEditing(agentIds: string[], { workspace = 'acme' }: By = {}): Promise<number> {
    const result = await this.aggregates.handle(
      workspaceStreamId(workspace),
      workspacePermissionsDecider,
      { type: 'GrantContactEditing', agentIds },
      contextOf(workspace, OWNER, 'agent'),
    );
    return result.position;
  }

  head(): Promise<number> {
    return this.store.headPosition();
  }

  async close(): Promise<void> {
    await this.store.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async contactCommand(
    contactId: string,
    command: Parameters<typeof contactDecider.decide>[0],
    { workspace = 'acme', actor = OWNER, at }: By,
  ): Promise<number> {
    const context = contextOf(workspace, actor, 'agent', at);
    return (await this.aggregates.handle(contactStreamId(contactId), contactDecider, command, context)).position;
  }
}

function contextOf(workspace: string, actor: Actor, source: Source, at = new Date()): CommandContext {
  return { workspace, actor, source, correlationId: randomUUID(), causationId: null, now: at };
}
