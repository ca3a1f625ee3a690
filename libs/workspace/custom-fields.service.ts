import { Inject, Injectable } from '@nestjs/common';
import { AggregateStore } from '../eventsourcing/aggregate-store.js';
import type { CommandContext } from '../eventsourcing/event-metadata.js';
import { activeCustomFields, customFieldsDecider, type CustomFieldDefinition, type CustomFieldsCommand } from './custom-field-definitions.js';
import { workspaceStreamId } from './workspace-permissions.js';

type Written = { version: number; position: number };

/** Workspace-defined custom fields, kept in the `workspace-<id>` stream; the roles allowed are checked by the HTTP layer. */
@Injectable()
export class WorkspaceCustomFields {
  constructor(@Inject(AggregateStore) private readonly aggregates: AggregateStore) {}

  async define(context: CommandContext, command: Extract<CustomFieldsCommand, { type: 'DefineCustomField' }>): Promise<Omit<CustomFieldDefinition, 'archived'> & Written> {
    const result = await this.aggregates.handle(workspaceStreamId(context.workspace), customFieldsDecider, command, context);
    const definition = result.state.definitions.get(command.name);
    if (!definition) throw new Error(`custom field ${command.name} missing after its definition`);
    const { archived: _, ...fields } = definition;
    return { ...fields, version: result.version, position: result.position };
  }

  async archive(context: CommandContext, name: string): Promise<Written> {
    const result = await this.aggregates.handle(workspaceStreamId(context.workspace), customFieldsDecider, { type: 'ArchiveCustomField', name }, context);
    return { version: result.version, position: result.position };
  }

  async active(context: Pick<CommandContext, 'workspace'>): Promise<CustomFieldDefinition[]> {
    const { state } = await this.aggregates.load(workspaceStreamId(context.workspace), customFieldsDecider);
    return activeCustomFields(state);
  }
}
