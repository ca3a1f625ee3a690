import { Controller, Get, Inject, Query, Req, Res, type BeforeApplicationShutdown } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.guard.js';
import type { Principal } from '../../auth/tokens.js';
import { APP_CONFIG } from '../../config/config.provider.js';
import type { AppConfig } from '../../config/config.js';
import { ApiAnswers, REQUEST_HEADERS } from '../../http/openapi/api-answers.js';
import { Type } from '../../http/openapi/schema.js';
import { lastEventPosition, sseComment, sseMessage, StreamingResponse } from '../../http/streaming-response.js';
import { ContactViewChanges } from '../live/contact-view-changes.js';
import { viewOf, type ContactViewDocument } from '../projections/contact-views/contact-views.projection.js';
import { LiveContactsQueryDto } from './dto/live-contacts.dto.js';

/** A client that lets this much pile up unread is cut off rather than buffered. */
const MAX_BUFFERED_BYTES = 256 * 1024;
const STALL_TIMEOUT_MS = 10_000;

/** `GET /v1/live/contacts`: the views of watched contacts, pushed as the projection writes them (API.md). */
@ApiTags('live')
@Controller('v1/live')
export class LiveContactsController implements BeforeApplicationShutdown {
  private readonly open = new Set<StreamingResponse>();

  constructor(
    @Inject(ContactViewChanges) private readonly changes: ContactViewChanges,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('contacts')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'Server-Sent Events: the new view of each watched contact after each projected change',
    description:
      'Each change is a message `event: contact`, `id: <position>`, `data: <contact view>`. `Last-Event-ID` (EventSource sends it when it ' +
      'reconnects) resumes after that position: the views that changed meanwhile come first. A comment line comes every 10 s. A client that ' +
      'stops reading is disconnected. Contacts of another workspace never show.\n\n' +
      "```js\nconst live = new EventSource('/v1/live/contacts?ids=' + ids.join(','));  // with the token in a cookie-less setup: use a fetch-based client\nlive.addEventListener('contact', (e) => render(JSON.parse(e.data)));\n```",
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: REQUEST_HEADERS['Last-Event-ID'] })
  @ApiAnswers({
    200: {
      description: 'An SSE stream of `event: contact` messages with the contact view as data',
      contentType: 'text/event-stream',
      schema: Type.String({ description: '`event: contact`, `id: <position>`, `data: <contact view JSON>` per change; `: heartbeat` comments' }),
      example: 'event: contact\nid: 42\ndata: {"id":"0f8e…","workspace":"acme","fields":{…},"version":3,…}\n\n',
    },
  })
  async contacts(
    @CurrentPrincipal() principal: Principal,
    @Query() query: LiveContactsQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const resumeAfter = lastEventPosition(request.headers['last-event-id']);
    const watched = new Set(query.ids);
    const { workspace } = principal;
    const matching = (documents: readonly ContactViewDocument[]) => documents.filter((document) => document.workspace === workspace && watched.has(document._id));

    // Changes that arrive while the missed ones are read wait here, so that order holds.
    let queued: ContactViewDocument[] | null = [];
    let response: StreamingResponse | undefined;
    const send = (documents: readonly ContactViewDocument[]): void => {
      for (const document of documents) response?.push(sseMessage(document.position, viewOf(document), 'contact'));
    };
    const listening = await this.changes.listen((documents) => {
      const mine = matching(documents);
      if (mine.length === 0) return;
      if (queued) queued.push(...mine);
      else send(mine);
    });
    try {
      const missed = resumeAfter === undefined ? [] : await this.changes.written(workspace, [...watched], resumeAfter, listening.position);
      response = StreamingResponse.start(reply, 'text/event-stream', { maxBufferedBytes: MAX_BUFFERED_BYTES, stallTimeoutMs: STALL_TIMEOUT_MS });
      response.push(sseComment(`watching ${watched.size} contact(s) from position ${listening.position}`));
      send(missed);
      send(queued);
      queued = null;
    } catch (error) {
      listening.stop();
      throw error;
    }
    const stream = response;
    this.open.add(stream);
    const heartbeat = setInterval(() => stream.ping(sseComment('heartbeat')), this.config.sseHeartbeatMs);
    stream.onClose(() => {
      clearInterval(heartbeat);
      listening.stop();
      this.open.delete(stream);
    });
  }

  /** Ends the open streams, so that shutdown does not wait for clients that never leave. */
  beforeApplicationShutdown(): void {
    for (const stream of this.open) stream.end();
    this.changes.close();
  }
}
