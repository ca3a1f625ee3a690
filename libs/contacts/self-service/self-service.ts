import { Inject, Injectable } from '@nestjs/common';
import { AggregateStore } from '../../eventsourcing/aggregate-store.js';
import { ForbiddenError, NotFoundError } from '../../eventsourcing/domain-errors.js';
import type { CommandContext } from '../../eventsourcing/event-metadata.js';
import type { CustomFieldDefinition } from '../../workspace/custom-field-definitions.js';
import { contactDecider } from '../contact-decider.js';
import { contactStreamId } from '../contact-ids.js';
import { effectiveValue, type ContactState } from '../contact-state.js';
import { isLocked } from '../contact-fields.js';
import { isLinkActive } from './decide-self-service-links.js';
import { newSelfServiceToken, parseSelfServiceToken } from './self-service-token.js';
import { ContactWrites } from '../contact-writes.js';

export const SELF_SERVICE_FIELDS = ['name', 'phone', 'email'] as const;
export const DEFAULT_LINK_HOURS = 24;

export type CustomerView = {
  contactId: string;
  fields: Record<(typeof SELF_SERVICE_FIELDS)[number], { value: string | null; locked: boolean }>;
  customFields: Record<string, { label: string; type: string; options: string[] | null; value: unknown }>;
  expiresAt: string;
};

/**
 * Customer self-service (Engage): a link for one contact, for a limited time, revocable; with
 * it the customer reads and edits their name, phone, e-mail (unless locked) and the custom
 * fields shown to customers. An expired, revoked or forged token is 404, like a missing page.
 */
@Injectable()
export class SelfService {
  constructor(
    @Inject(AggregateStore) private readonly aggregates: AggregateStore,
    @Inject(ContactWrites) private readonly writes: ContactWrites,
  ) {}

  async issue(context: CommandContext, contactId: string, hours: number) {
    const { token, linkId } = newSelfServiceToken(contactId);
    const expiresAt = new Date(context.now.getTime() + hours * 3_600_000).toISOString();
    const result = await this.writes.inWorkspace(context, { type: 'IssueSelfServiceLink', contactId, linkId, expiresAt });
    return { token, expiresAt, version: result.version, position: result.position };
  }

  async revoke(context: CommandContext, contactId: string, token: string): Promise<void> {
    const parsed = parseSelfServiceToken(token);
    if (!parsed || parsed.contactId !== contactId) throw new NotFoundError('No such self-service link');
    await this.writes.inWorkspace(context, { type: 'RevokeSelfServiceLink', contactId, linkId: parsed.linkId });
  }

  async view(token: string, now = new Date()): Promise<CustomerView> {
    const { contactId, state, linkId } = await this.open(token, now);
    return this.customerView(contactId, state, linkId, await this.visibleFields(state));
  }

  /** The customer's edit, recorded with source `customer`: locked fields and fields not shown to customers are 403. */
  async edit(token: string, changes: Record<string, unknown>, now = new Date()): Promise<CustomerView> {
    const { contactId, state, linkId } = await this.open(token, now);
    const visible = await this.visibleFields(state);
    const { customFields = {}, ...fields } = changes as { customFields?: Record<string, unknown> };
    const hidden = Object.keys(customFields)
      .filter((name) => !visible.some((definition) => definition.name === name))
      .map((name) => ({ field: `customFields.${name}`, message: 'This field is not shown to customers: it cannot be edited here.' }));
    if (hidden.length > 0) throw new ForbiddenError('Only the fields shown to customers can be edited', hidden);
    const context: CommandContext = {
      workspace: state.workspace!,
      actor: { id: `customer-link-${linkId.slice(0, 16)}`, role: 'customer' },
      source: 'customer',
      correlationId: linkId.slice(0, 32),
      causationId: null,
      now,
    };
    const command = { type: 'EditContactFields' as const, contactId, changes: fields as Record<'name', string | null>, customFields, definitions: visible };
    await this.writes.inWorkspace(context, command);
    const after = await this.open(token, now);
    return this.customerView(contactId, after.state, linkId, visible);
  }

  private async open(token: string, now: Date): Promise<{ contactId: string; linkId: string; state: ContactState }> {
    const parsed = parseSelfServiceToken(token);
    if (!parsed) throw new NotFoundError('No such self-service link');
    const { state } = await this.aggregates.load(contactStreamId(parsed.contactId), contactDecider);
    if (!isLinkActive(state, parsed.linkId, now)) throw new NotFoundError('No such self-service link (it may have expired or been revoked)');
    return { ...parsed, state };
  }

  private async visibleFields(state: ContactState): Promise<CustomFieldDefinition[]> {
    return (await this.writes.customFieldDefinitions(state.workspace!)).filter((definition) => definition.visibleToCustomer);
  }

  private customerView(contactId: string, state: ContactState, linkId: string, visible: CustomFieldDefinition[]): CustomerView {
    const fields = Object.fromEntries(
      SELF_SERVICE_FIELDS.map((field) => [field, { value: effectiveValue(state.fields[field]), locked: isLocked(state.channel!, field) }]),
    ) as CustomerView['fields'];
    const customFields = Object.fromEntries(
      visible.map(({ name, label, type, options }) => [name, { label, type, options, value: state.customFields[name]?.value ?? null }]),
    );
    return { contactId, fields, customFields, expiresAt: state.selfServiceLinks[linkId]!.expiresAt };
  }
}
