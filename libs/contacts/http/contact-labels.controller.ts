import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Roles } from '../../auth/auth.guard.js';
import type { Principal } from '../../auth/tokens.js';
import { commandContextOf } from '../../http/write-request.js';
import { DOCUMENT_STORE } from '../../projections/nest/read-model.tokens.js';
import { ReadConsistency } from '../../projections/nest/read-consistency.js';
import type { DocumentStore } from '../../document-store/document-store.port.js';
import { listTags } from '../projections/tag-usage/list-tags.js';
import { ContactLabels } from '../contact-labels.js';
import { ContactId, viewAnswer } from './contacts.controller.js';
import { ApiAnswers, WriteHeaders } from '../../http/openapi/api-answers.js';
import { ContactWrittenSchema, type ContactWritten } from './contact-answers.js';
import { TagListSchema, type TagList } from './tag-answers.js';
import { AssignTagDto } from './dto/assign-tag.dto.js';
import { ListTagsQueryDto } from './dto/list-tags-query.dto.js';

/** Tags (respond.io) and blocking of contacts. */
@ApiTags('tags and blocking')
@Controller('v1')
export class ContactLabelsController {
  constructor(
    @Inject(ContactLabels) private readonly labels: ContactLabels,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(ReadConsistency) private readonly consistency: ReadConsistency,
  ) {}

  @Post('contacts/:id/tags')
  @Roles('owner', 'manager', 'agent')
  @WriteHeaders()
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign a tag (created in the workspace on first use); a tag the contact has writes nothing' })
  @ContactId()
  @ApiAnswers({ 200: { description: 'The view after the write, with its version and position', schema: ContactWrittenSchema, headers: ['ETag'] } }, { errors: [403, 404, 409, 422] })
  async assignTag(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: AssignTagDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ContactWritten> {
    return viewAnswer(reply, await this.labels.assignTag(commandContextOf(principal, request), id, body.tag));
  }

  @Delete('contacts/:id/tags/:tag')
  @ApiParam({ name: 'tag', description: 'The tag, in any case (URL-encoded)' })
  @Roles('owner', 'manager', 'agent')
  @WriteHeaders()
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove a tag from the contact (any case); the tag stays in the workspace' })
  @ContactId()
  @ApiAnswers({ 200: { description: 'The view after the write, with its version and position', schema: ContactWrittenSchema, headers: ['ETag'] } }, { errors: [403, 404, 409, 422] })
  async removeTag(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('tag') tag: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ContactWritten> {
    return viewAnswer(reply, await this.labels.removeTag(commandContextOf(principal, request), id, tag));
  }

  @Post('contacts/:id/block')
  @Roles('owner', 'manager', 'agent')
  @WriteHeaders()
  @HttpCode(200)
  @ApiOperation({ summary: 'Block the contact; blocking a blocked contact writes nothing' })
  @ContactId()
  @ApiAnswers({ 200: { description: 'The view after the write, with its version and position', schema: ContactWrittenSchema, headers: ['ETag'] } }, { errors: [403, 404, 409, 422] })
  async block(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<ContactWritten> {
    return viewAnswer(reply, await this.labels.block(commandContextOf(principal, request), id));
  }

  @Post('contacts/:id/unblock')
  @Roles('owner', 'manager', 'agent')
  @WriteHeaders()
  @HttpCode(200)
  @ApiOperation({ summary: 'Unblock the contact; unblocking a contact that is not blocked writes nothing' })
  @ContactId()
  @ApiAnswers({ 200: { description: 'The view after the write, with its version and position', schema: ContactWrittenSchema, headers: ['ETag'] } }, { errors: [403, 404, 409, 422] })
  async unblock(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<ContactWritten> {
    return viewAnswer(reply, await this.labels.unblock(commandContextOf(principal, request), id));
  }

  @Get('tags')
  @ApiOperation({ summary: "The workspace's tags, by name, with how many contacts carry each; ?prefix= suggests (any case); at most ?limit= (1,000)" })
  @ApiAnswers({ 200: { description: "The workspace's tags with their usage counts", schema: TagListSchema, headers: ['X-Read-Consistency'] } })
  async listTags(@CurrentPrincipal() principal: Principal, @Query() query: ListTagsQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<TagList> {
    if (!(await this.consistency.waitFor(query.minPosition))) reply.header('x-read-consistency', 'stale');
    return { items: await listTags(this.documents, principal.workspace, query.prefix, query.limit) };
  }
}
