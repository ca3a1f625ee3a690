import { applyDecorators, Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Roles } from '../../auth/auth.guard.js';
import type { Principal } from '../../auth/tokens.js';
import { commandContextOf } from '../../http/write-request.js';
import { ReadConsistency } from '../../projections/nest/read-consistency.js';
import { AttachContactDto, CreateProfileDto, NoteDto, ProfileQueryDto, RenameProfileDto, SearchProfilesQueryDto, TimelineQueryDto } from './dto/profile.dto.js';
import { ApiAnswers, WriteHeaders, type Answer, type AnswerOptions } from '../../http/openapi/api-answers.js';
import type { Static } from '../../http/openapi/schema.js';
import {
  ProfileLinkWrittenSchema,
  ProfileNoteWrittenSchema,
  ProfilePageSchema,
  ProfileViewSchema,
  ProfileWrittenSchema,
  TimelinePageSchema,
} from '../profile-view.schema.js';
import { ProfileQueries, type ProfileView } from './profile-queries.js';
import { ProfileWrites, type ProfileWriteResult } from './profile-writes.js';

const CONFLICT = { status: 409, description: "`If-Match` names a version the profile's stream has moved past, or the profile is archived. Nothing was written." } as const;

/** A profile write: who may, what it answers (`If-Match` takes the profile's version). */
const Write = (summary: string, answers: Record<number, Answer>, options: AnswerOptions = { errors: [404, CONFLICT, 422] }) =>
  applyDecorators(Roles('owner', 'manager', 'agent'), ApiOperation({ summary }), WriteHeaders(), ApiAnswers(answers, options));

const written = (schema: Answer['schema'], description = 'The write, with the profile stream\'s new version and the log position'): Answer => ({ description, schema, headers: ['ETag'] });

@ApiTags('profiles')
@Controller('v1/profiles')
export class ProfilesController {
  constructor(
    @Inject(ProfileWrites) private readonly writes: ProfileWrites,
    @Inject(ProfileQueries) private readonly queries: ProfileQueries,
    @Inject(ReadConsistency) private readonly consistency: ReadConsistency,
  ) {}

  @Post()
  @Write('Create a profile by name, optionally attaching contacts at once (those attached elsewhere move)', { 201: written(ProfileWrittenSchema, 'The profile was created') }, {
    errors: [{ status: 422, description: 'An invalid name, or `contactIds` naming contacts this workspace does not have (`errors` names each). Nothing was written.' }, 409],
  })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateProfileDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Static<typeof ProfileWrittenSchema>> {
    return withVersion(reply, await this.writes.create(commandContextOf(principal, request), body));
  }

  @Get()
  @ApiOperation({ summary: "Search profiles by name or by an attached contact's name, phone or e-mail; archived ones are left out" })
  @ApiAnswers({ 200: { description: 'A page of profiles, by name', schema: ProfilePageSchema, headers: ['X-Read-Consistency'] } })
  async search(@CurrentPrincipal() principal: Principal, @Query() query: SearchProfilesQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<Static<typeof ProfilePageSchema>> {
    await this.awaitPosition(reply, query.minPosition);
    return this.queries.search(principal.workspace, { q: query.q, limit: query.limit ?? 20, cursor: query.cursor });
  }

  @Get(':id')
  @ApiOperation({ summary: 'The profile: name, notes, and the view of every attached contact' })
  @ApiAnswers({ 200: { description: 'The profile view', schema: ProfileViewSchema, headers: ['ETag', 'X-Read-Consistency'] } }, { errors: [404] })
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: ProfileQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<ProfileView> {
    await this.awaitPosition(reply, query.minPosition);
    const view = await this.queries.profile(principal.workspace, id);
    reply.header('etag', `"${view.version}"`);
    return view;
  }

  @Patch(':id')
  @Write('Rename the profile', { 200: written(ProfileWrittenSchema) })
  @HttpCode(200)
  async rename(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: RenameProfileDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return withVersion(reply, await this.writes.rename(commandContextOf(principal, request), id, body.name));
  }

  @Post(':id/archive')
  @Write('Archive the profile: it keeps its contacts and history, leaves search, and takes no new contacts, notes or names', { 200: written(ProfileWrittenSchema) }, { errors: [404, CONFLICT] })
  @HttpCode(200)
  async archive(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return withVersion(reply, await this.writes.archive(commandContextOf(principal, request), id));
  }

  @Post(':id/contacts')
  @Write('Attach a contact (ProfileAttached on its stream); a contact attached elsewhere moves, detached there first', { 200: written(ProfileLinkWrittenSchema) })
  @HttpCode(200)
  async attach(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: AttachContactDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return withVersion(reply, await this.writes.attach(commandContextOf(principal, request), id, body.contactId));
  }

  @Delete(':id/contacts/:contactId')
  @Write('Detach a contact from the profile (ProfileDetached on its stream)', { 200: written(ProfileLinkWrittenSchema) }, { errors: [404, CONFLICT] })
  @HttpCode(200)
  async detach(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('contactId') contactId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withVersion(reply, await this.writes.detach(commandContextOf(principal, request), id, contactId));
  }

  @Post(':id/notes')
  @Write('Add a note (1 to 5,000 characters); the author and time come from the request', { 201: written(ProfileNoteWrittenSchema, 'The note was added') })
  async addNote(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: NoteDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return withVersion(reply, await this.writes.addNote(commandContextOf(principal, request), id, body.text));
  }

  @Patch(':id/notes/:noteId')
  @Write('Edit a note', { 200: written(ProfileNoteWrittenSchema) })
  @HttpCode(200)
  async editNote(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('noteId') noteId: string,
    @Body() body: NoteDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withVersion(reply, await this.writes.editNote(commandContextOf(principal, request), id, noteId, body.text));
  }

  @Delete(':id/notes/:noteId')
  @Write('Delete a note', { 200: written(ProfileNoteWrittenSchema) }, { errors: [404, CONFLICT] })
  @HttpCode(200)
  async deleteNote(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('noteId') noteId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withVersion(reply, await this.writes.deleteNote(commandContextOf(principal, request), id, noteId));
  }

  @Get(':id/timeline')
  @ApiOperation({ summary: 'Every event of the profile and its contacts across channels, newest first, each with a one-line summary' })
  @ApiAnswers({ 200: { description: 'A page of the timeline, newest first', schema: TimelinePageSchema, headers: ['X-Read-Consistency'] } }, { errors: [404] })
  async timeline(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: TimelineQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<Static<typeof TimelinePageSchema>> {
    await this.awaitPosition(reply, query.minPosition);
    return this.queries.timeline(principal.workspace, id, { limit: query.limit ?? 20, cursor: query.cursor });
  }

  private async awaitPosition(reply: FastifyReply, minPosition: number | undefined): Promise<void> {
    if (!(await this.consistency.waitFor(minPosition))) reply.header('x-read-consistency', 'stale');
  }
}

function withVersion<R extends ProfileWriteResult>(reply: FastifyReply, result: R): R {
  reply.header('etag', `"${result.version}"`);
  return result;
}
