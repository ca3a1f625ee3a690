import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Roles } from '../../auth/auth.guard.js';
import type { Principal } from '../../auth/tokens.js';
import { commandContextOf } from '../../http/write-request.js';
import { ContactWrites, type ContactWriteResult } from '../contact-writes.js';
import { ReadConsistency } from '../../projections/nest/read-consistency.js';
import { ApiAnswers, WriteHeaders } from '../../http/openapi/api-answers.js';
import {
  ChannelContactReportedSchema,
  ContactHistorySchema,
  ContactPageSchema,
  ContactWrittenSchema,
  type ChannelContactReported,
  type ContactHistory,
  type ContactPage,
  type ContactWritten,
} from './contact-answers.js';
import { ContactViewSchema } from '../projections/contact-views/contact-view.schema.js';
import type { ContactView } from '../projections/contact-views/contact-view.js';
import { ContactQueries } from '../contact-queries.js';
import { ContactQueryDto, HistoryQueryDto, SearchContactsQueryDto } from './dto/contact-queries.dto.js';
import { EditContactDto } from './dto/edit-contact.dto.js';
import { ReportChannelContactDto } from './dto/report-channel-contact.dto.js';
import { RestoreFromChannelDto } from './dto/restore-from-channel.dto.js';

export const ContactId = () => ApiParam({ name: 'id', description: 'The contact id', schema: { type: 'string', format: 'uuid' } });

@ApiTags('contacts')
@Controller('v1')
export class ContactsController {
  constructor(
    @Inject(ContactWrites) private readonly writes: ContactWrites,
    @Inject(ContactQueries) private readonly queries: ContactQueries,
    @Inject(ReadConsistency) private readonly consistency: ReadConsistency,
  ) {}

  @Post('channel-contacts')
  @Roles('integration')
  @WriteHeaders()
  @ApiOperation({ summary: 'A channel reports a contact: created on first sight (201), its channel values recorded every time (200)' })
  @ApiAnswers({
    201: { description: 'The contact was registered', schema: ChannelContactReportedSchema, headers: ['ETag'] },
    200: { description: "The contact existed: the channel's values were recorded (nothing written when unchanged)", schema: ChannelContactReportedSchema, headers: ['ETag'] },
  }, { errors: [409] })
  async reportChannelContact(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ReportChannelContactDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ChannelContactReported> {
    const { channel, channelContactId, ...values } = body;
    const result = await this.writes.report(commandContextOf(principal, request), { channel, channelContactId, values });
    reply.status(result.created ? 201 : 200);
    withVersion(reply, result);
    return { contactId: result.contactId, version: result.version, position: result.position };
  }

  @Patch('contacts/:id')
  @Roles('owner', 'manager', 'agent')
  @WriteHeaders()
  @ApiOperation({ summary: "Edit a contact's fields; null or \"\" clears one; one bad field refuses the whole edit" })
  @ContactId()
  @ApiAnswers({ 200: { description: 'The view after the write, with its version and position', schema: ContactWrittenSchema, headers: ['ETag'] } }, { errors: [403, 404, 409, 422] })
  @HttpCode(200)
  async edit(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: EditContactDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ContactWritten> {
    const result = await this.writes.edit(commandContextOf(principal, request), id, { ...body });
    return viewAnswer(reply, result);
  }

  @Post('contacts/:id/restore-from-channel')
  @Roles('owner', 'manager', 'agent')
  @WriteHeaders()
  @ApiOperation({ summary: "Drop the edited values of some fields (all when absent): the channel's values show again" })
  @ContactId()
  @ApiAnswers({ 200: { description: 'The view after the write, with its version and position', schema: ContactWrittenSchema, headers: ['ETag'] } }, { errors: [403, 404, 409, 422] })
  @HttpCode(200)
  async restoreFromChannel(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: RestoreFromChannelDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ContactWritten> {
    const result = await this.writes.restoreFromChannel(commandContextOf(principal, request), id, body.fields);
    return viewAnswer(reply, result);
  }

  @Get('contacts')
  @ApiOperation({ summary: 'Search contacts by name, phone (any formatting), e-mail, searchable custom-field values; filter by tags (all of them) and blocked; keyset-paginated' })
  @ApiAnswers({ 200: { description: 'A page of contact views, by name', schema: ContactPageSchema, headers: ['X-Read-Consistency'] } })
  async search(
    @CurrentPrincipal() principal: Principal,
    @Query() query: SearchContactsQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ContactPage> {
    await this.awaitPosition(reply, query.minPosition);
    const { q, tag, blocked, limit, cursor } = query;
    return this.queries.search(principal, { q, tags: tag, blocked, limit, cursor });
  }

  @Get('contacts/:id')
  @ApiOperation({ summary: 'The contact view; ?asOf= gives it as it was at that time' })
  @ContactId()
  @ApiAnswers(
    { 200: { description: 'The contact view (as it was at `asOf` when given)', schema: ContactViewSchema, headers: ['ETag', 'X-Read-Consistency'], serialize: true } },
    { errors: [{ status: 404, description: 'No such contact in this workspace, or it did not exist yet at `asOf`' }] },
  )
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: ContactQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ContactView> {
    if (query.asOf) return this.queries.contactViewAsOf(principal, id, query.asOf);
    await this.awaitPosition(reply, query.minPosition);
    const view = await this.queries.contactView(principal, id);
    reply.header('etag', `"${view.version}"`);
    return view;
  }

  @Get('contacts/:id/history')
  @ApiOperation({ summary: 'The audit trail of the contact, oldest first; the next page cursor is in the Next-Cursor header' })
  @ContactId()
  @ApiAnswers({ 200: { description: 'One entry per field change, oldest first', schema: ContactHistorySchema, headers: ['Next-Cursor', 'X-Read-Consistency'] } })
  async history(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: HistoryQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ContactHistory> {
    await this.awaitPosition(reply, query.minPosition);
    const { minPosition: _, ...filter } = query;
    const { items, nextCursor } = await this.queries.history(principal, id, filter);
    if (nextCursor) reply.header('next-cursor', nextCursor);
    return items;
  }

  /** Read-your-writes: when the wait times out the read answers anyway, saying it may be stale. */
  private async awaitPosition(reply: FastifyReply, minPosition: number | undefined): Promise<void> {
    if (!(await this.consistency.waitFor(minPosition))) reply.header('x-read-consistency', 'stale');
  }
}

function withVersion(reply: FastifyReply, result: ContactWriteResult): void {
  reply.header('etag', `"${result.version}"`);
}

export function viewAnswer(reply: FastifyReply, result: ContactWriteResult): ContactWritten {
  withVersion(reply, result);
  return { ...result.view, version: result.version, position: result.position };
}
