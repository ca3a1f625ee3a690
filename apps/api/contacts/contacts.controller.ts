import { applyDecorators, Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Roles } from '../auth/auth.guard.js';
import type { Principal } from '../auth/tokens.js';
import { commandContextOf, writeOptionsOf } from '../http/write-request.js';
import {
  EditContactCommand,
  ReportChannelContactCommand,
  RestoreContactFromChannelCommand,
  type ContactWriteResult,
} from './contact-commands.js';
import { ReadConsistency } from '../read-models/read-consistency.js';
import { ContactQueries } from './contact-queries.js';
import { ContactQueryDto, HistoryQueryDto, SearchContactsQueryDto } from './dto/contact-queries.dto.js';
import { EditContactDto } from './dto/edit-contact.dto.js';
import { ReportChannelContactDto } from './dto/report-channel-contact.dto.js';
import { RestoreFromChannelDto } from './dto/restore-from-channel.dto.js';

const WriteHeaders = () =>
  applyDecorators(
    ApiHeader({ name: 'If-Match', required: false, description: 'The version you saw: 409 when the contact moved on' }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key answers the first result' }),
  );

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('v1')
export class ContactsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ContactQueries) private readonly queries: ContactQueries,
    @Inject(ReadConsistency) private readonly consistency: ReadConsistency,
  ) {}

  @Post('channel-contacts')
  @Roles('integration')
  @WriteHeaders()
  @ApiOperation({ summary: 'A channel reports a contact: created on first sight (201), its channel values recorded every time (200)' })
  async reportChannelContact(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ReportChannelContactDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { channel, channelContactId, ...values } = body;
    const result = await this.commands.execute(
      new ReportChannelContactCommand(commandContextOf(principal, request), { channel, channelContactId, values }, writeOptionsOf(request)),
    );
    reply.status(result.created ? 201 : 200);
    withVersion(reply, result);
    return { contactId: result.view.id, version: result.version, position: result.position };
  }

  @Patch('contacts/:id')
  @Roles('owner', 'manager', 'agent')
  @WriteHeaders()
  @ApiOperation({ summary: "Edit a contact's fields; null or \"\" clears one; one bad field refuses the whole edit" })
  @HttpCode(200)
  async edit(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: EditContactDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new EditContactCommand(commandContextOf(principal, request), id, { ...body }, writeOptionsOf(request)),
    );
    return viewAnswer(reply, result);
  }

  @Post('contacts/:id/restore-from-channel')
  @Roles('owner', 'manager', 'agent')
  @WriteHeaders()
  @ApiOperation({ summary: "Drop the edited values of some fields (all when absent): the channel's values show again" })
  @HttpCode(200)
  async restoreFromChannel(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: RestoreFromChannelDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new RestoreContactFromChannelCommand(commandContextOf(principal, request), id, body.fields, writeOptionsOf(request)),
    );
    return viewAnswer(reply, result);
  }

  @Get('contacts')
  @ApiOperation({ summary: 'Search contacts by name, phone (any formatting), e-mail, tag; keyset-paginated' })
  async search(@CurrentPrincipal() principal: Principal, @Query() query: SearchContactsQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.awaitPosition(reply, query.minPosition);
    const { q, tag, limit, cursor } = query;
    return this.queries.search(principal.workspace, { q, tag, limit, cursor });
  }

  @Get('contacts/:id')
  @ApiOperation({ summary: 'The contact view; ?asOf= gives it as it was at that time' })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: ContactQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (query.asOf) return this.queries.contactViewAsOf(principal.workspace, id, query.asOf);
    await this.awaitPosition(reply, query.minPosition);
    const view = await this.queries.contactView(principal.workspace, id);
    reply.header('etag', `"${view.version}"`);
    return view;
  }

  @Get('contacts/:id/history')
  @ApiOperation({ summary: 'The audit trail of the contact, oldest first; the next page cursor is in the Next-Cursor header' })
  async history(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: HistoryQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.awaitPosition(reply, query.minPosition);
    const { minPosition: _, ...filter } = query;
    const { items, nextCursor } = await this.queries.history(principal.workspace, id, filter);
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

function viewAnswer(reply: FastifyReply, result: ContactWriteResult) {
  withVersion(reply, result);
  return { ...result.view, version: result.version, position: result.position };
}
