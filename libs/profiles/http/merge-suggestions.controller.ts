import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Roles } from '../../auth/auth.guard.js';
import type { Principal } from '../../auth/tokens.js';
import { ConsistencyQueryDto } from '../../contacts/http/dto/contact-queries.dto.js';
import { commandContextOf } from '../../http/write-request.js';
import { ReadConsistency } from '../../projections/nest/read-consistency.js';
import { ApiAnswers, REQUEST_HEADERS, type Answer } from '../../http/openapi/api-answers.js';
import type { Static } from '../../http/openapi/schema.js';
import { MergeSuggestionAcceptedSchema, MergeSuggestionDismissedSchema, MergeSuggestionPageSchema } from '../profile-view.schema.js';
import { MergeSuggestions } from './merge-suggestions.service.js';

const IdempotencyKey = () => ApiHeader({ name: 'Idempotency-Key', required: false, description: REQUEST_HEADERS['Idempotency-Key'], schema: { type: 'string', maxLength: 255 } });
const NOT_SHOWN = { status: 404, description: 'No such suggestion is shown in this workspace (unknown, of another workspace, or gone: linked, deleted or dismissed). Nothing was written.' } as const;
const answer = (description: string, schema: Answer['schema']): Record<number, Answer> => ({ 200: { description, schema } });

class MergeSuggestionsQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,512}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

class AcceptMergeSuggestionDto {
  @ApiPropertyOptional({ description: 'Name of the new profile when neither contact has one (default: a contact name)', maxLength: 512 })
  @IsOptional() @IsString() @MaxLength(512)
  name?: string;
}

@ApiTags('profiles')
@Controller('v1/merge-suggestions')
export class MergeSuggestionsController {
  constructor(
    @Inject(MergeSuggestions) private readonly suggestions: MergeSuggestions,
    @Inject(ReadConsistency) private readonly consistency: ReadConsistency,
  ) {}

  @Get()
  @Roles('owner', 'manager', 'agent')
  @ApiOperation({ summary: 'Contacts of different channels likely to be one person (same phone or e-mail), with the reason' })
  @ApiAnswers({ 200: { description: 'A page of suggestions', schema: MergeSuggestionPageSchema, headers: ['X-Read-Consistency'] } })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: MergeSuggestionsQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Static<typeof MergeSuggestionPageSchema>> {
    if (!(await this.consistency.waitFor(query.minPosition))) reply.header('x-read-consistency', 'stale');
    return this.suggestions.list(principal.workspace, { limit: query.limit ?? 50, cursor: query.cursor });
  }

  @Post(':id/accept')
  @Roles('owner', 'manager', 'agent')
  @HttpCode(200)
  @ApiOperation({ summary: 'Attach both contacts to one profile: the existing profile of either, or a new one' })
  @IdempotencyKey()
  @ApiAnswers(answer('Both contacts are attached to the profile', MergeSuggestionAcceptedSchema), {
    errors: [NOT_SHOWN, { status: 409, description: 'The profile to attach to was archived meanwhile. Nothing more was written.' }, 422],
  })
  async accept(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: AcceptMergeSuggestionDto,
    @Req() request: FastifyRequest,
  ): Promise<Static<typeof MergeSuggestionAcceptedSchema>> {
    return this.suggestions.accept(commandContextOf(principal, request), id, body.name);
  }

  @Post(':id/dismiss')
  @Roles('owner', 'manager', 'agent')
  @HttpCode(200)
  @ApiOperation({ summary: 'Keep this pair away for good: the dismissal is an event, so it survives a rebuild of the read models' })
  @IdempotencyKey()
  @ApiAnswers(answer('The dismissal is recorded (a repeated dismissal answers the same and writes nothing)', MergeSuggestionDismissedSchema), { errors: [NOT_SHOWN] })
  async dismiss(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() request: FastifyRequest): Promise<Static<typeof MergeSuggestionDismissedSchema>> {
    return this.suggestions.dismiss(commandContextOf(principal, request), id);
  }
}
