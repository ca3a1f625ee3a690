import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import { CurrentPrincipal, Roles } from '../../auth/auth.guard.js';
import type { Principal } from '../../auth/tokens.js';
import type { DocumentStore } from '../../document-store/document-store.port.js';
import { ApiAnswers } from '../../http/openapi/api-answers.js';
import { Type } from '../../http/openapi/schema.js';
import { DOCUMENT_STORE } from '../../projections/nest/read-model.tokens.js';
import { ReadConsistency } from '../../projections/nest/read-consistency.js';
import { queryHistory, type ContactHistoryEntry } from '../projections/contact-history/query-history.js';
import { ContactHistorySchema, type ContactHistory } from './contact-answers.js';
import { HistoryQueryDto } from './dto/contact-queries.dto.js';

/** The CSV columns, in order: the entry flattened (actor id and role apart; JSON values as JSON unless a string). */
const CSV_COLUMNS = ['at', 'contactId', 'actorId', 'actorRole', 'source', 'field', 'from', 'to', 'erased', 'eventType', 'eventId', 'position'] as const;

/** `GET /v1/audit`: the workspace's whole audit trail, for auditors (API.md). */
@ApiTags('audit')
@Controller('v1')
export class AuditController {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(ReadConsistency) private readonly consistency: ReadConsistency,
  ) {}

  @Get('audit')
  @Roles('owner', 'manager')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: "The workspace's audit trail by actor, field and time range, oldest first; JSON pages or CSV (`Accept: text/csv`)",
    description:
      'Every field change of every contact: who, when, from where, old → new. The next page cursor is in the `Next-Cursor` header (for CSV too).\n\n' +
      '`curl -H "Authorization: Bearer $TOKEN" -H "Accept: text/csv" "http://localhost:3000/v1/audit?from=2026-11-01T00:00:00Z&limit=500" > audit.csv`',
  })
  @ApiAnswers({
    200: {
      description: 'One entry per field change, oldest first (as in a contact history, with `contactId`)',
      schema: ContactHistorySchema,
      headers: ['Next-Cursor', 'X-Read-Consistency'],
      alternatives: {
        'text/csv': {
          schema: Type.String({ description: `A header line, then one line per entry: ${CSV_COLUMNS.join(', ')}` }),
          example: `${CSV_COLUMNS.join(',')}\n2026-11-23T10:00:00.000Z,0f8e…,agent-7,agent,agent,name,Ann,Ann Lee,,ContactFieldEdited,5b0c…,42\n`,
        },
      },
    },
  })
  async audit(
    @CurrentPrincipal() principal: Principal,
    @Query() query: HistoryQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ContactHistory | string> {
    if (!(await this.consistency.waitFor(query.minPosition))) reply.header('x-read-consistency', 'stale');
    const { minPosition: _, ...filter } = query;
    const { items, nextCursor } = await queryHistory(this.documents, { workspace: principal.workspace, ...filter, limit: filter.limit ?? 100 });
    if (nextCursor) reply.header('next-cursor', nextCursor);
    if (!prefersCsv(request.headers.accept)) return items;
    reply.header('content-type', 'text/csv; charset=utf-8');
    return stringify(items.map(csvRecordOf), { header: true, columns: [...CSV_COLUMNS] });
  }
}

function csvRecordOf(entry: ContactHistoryEntry): Record<(typeof CSV_COLUMNS)[number], string | number> {
  return {
    at: entry.at,
    contactId: entry.contactId,
    actorId: entry.actor.id,
    actorRole: entry.actor.role,
    source: entry.source,
    field: entry.field,
    from: csvValue(entry.from),
    to: csvValue(entry.to),
    erased: entry.erased ? 'true' : '',
    eventType: entry.eventType,
    eventId: entry.eventId,
    position: entry.position,
  };
}

function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function prefersCsv(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((type) => type.split(';')[0]!.trim().toLowerCase() === 'text/csv');
}
