import { Controller, Get, Inject, Query, Req, Res, type BeforeApplicationShutdown } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Roles } from '../auth/auth.guard.js';
import type { Principal } from '../auth/tokens.js';
import { APP_CONFIG } from '../config/config.provider.js';
import type { AppConfig } from '../config/config.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { ApiAnswers, REQUEST_HEADERS } from '../http/openapi/api-answers.js';
import { Type } from '../http/openapi/schema.js';
import { lastEventPosition, sseComment, sseMessage, StreamingResponse, wantsEventStream } from '../http/streaming-response.js';
import { EventStreamQueryDto } from './event-stream.dto.js';
import { publishedEvent, PublishedEventSchema } from './published-event.js';
import { workspaceEvents } from './workspace-events.js';

/** One line of the NDJSON body (each line is one such event). */
const NDJSON_EXAMPLE = {
  id: '5b0c…',
  type: 'ContactFieldEdited',
  schemaVersion: 1,
  streamId: 'contact-0f8e…',
  revision: 1,
  position: 42,
  occurredAt: '2026-11-23T10:00:00.000Z',
  metadata: {
    workspace: 'acme',
    actor: { id: 'agent-7', role: 'agent' },
    source: 'agent',
    correlationId: '…',
    causationId: null,
    schemaVersion: 1,
    occurredAt: '2026-11-23T10:00:00.000Z',
  },
  data: { field: 'name', personal: { value: 'Ann Lee' } },
};

/** `GET /v1/events`: the analytics event stream (API.md). */
@ApiTags('events')
@Controller('v1')
export class EventStreamController implements BeforeApplicationShutdown {
  private readonly open = new Set<StreamingResponse>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('events')
  @Roles('owner', 'manager', 'integration')
  @ApiOperation({
    summary: "The workspace's events in log order, strictly after `from`, as NDJSON (or SSE with `Accept: text/event-stream`)",
    description:
      'Without `follow` the response ends at the head of the log; with `follow=true` it stays open and sends new events as they are appended ' +
      '(SSE and follow streams send a comment line every 10 s). Resume after a stop with `from=<position of the last event received>` ' +
      '(SSE: `Last-Event-ID`): every event comes exactly once, in order. The server writes only as fast as the client reads.\n\n' +
      '`curl -N -H "Authorization: Bearer $TOKEN" "http://localhost:3000/v1/events?from=0&types=ContactFieldEdited"`',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: REQUEST_HEADERS['Last-Event-ID'] })
  @ApiAnswers({
    200: {
      description: 'One event per line (NDJSON; the example is one line), or one SSE message per event with `id:` = its position',
      schema: PublishedEventSchema,
      contentType: 'application/x-ndjson',
      example: NDJSON_EXAMPLE,
      alternatives: { 'text/event-stream': { schema: Type.String({ description: '`id: <position>` and `data: <event as in NDJSON>` per event' }) } },
    },
  })
  async events(
    @CurrentPrincipal() principal: Principal,
    @Query() query: EventStreamQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const sse = wantsEventStream(request.headers.accept);
    const after = (sse ? lastEventPosition(request.headers['last-event-id']) : undefined) ?? query.from ?? 0;
    const follow = query.follow === 'true';
    const readerGone = new AbortController();
    const events = workspaceEvents(this.store, {
      workspace: principal.workspace,
      after,
      types: query.types,
      limit: query.limit,
      follow,
      signal: readerGone.signal,
    });
    // Asked before the headers go out, so that an unreachable log still gets a proper error answer.
    await this.store.headPosition();

    const response = StreamingResponse.start(reply, sse ? 'text/event-stream' : 'application/x-ndjson');
    // A follow waiting for new events ends at once when the reader goes away.
    response.onClose(() => {
      readerGone.abort();
      this.open.delete(response);
    });
    this.open.add(response);
    const heartbeat = follow || sse ? setInterval(() => response.ping(sse ? sseComment('heartbeat') : '\n'), this.config.sseHeartbeatMs) : undefined;
    try {
      if (sse) await response.write(sseComment('events'));
      for await (const recorded of events) {
        const event = publishedEvent(recorded);
        if (!(await response.write(sse ? sseMessage(event.position, event) : `${JSON.stringify(event)}\n`))) break;
      }
    } catch (error) {
      // The headers are gone: all that is left is to end the stream early; the client resumes from its last position.
      request.log.error(error, 'the event stream failed');
    } finally {
      clearInterval(heartbeat);
      response.end();
    }
  }

  /** Ends the open streams (followers never end by themselves), so that shutdown does not wait for them. */
  beforeApplicationShutdown(): void {
    for (const stream of this.open) stream.end();
  }
}
