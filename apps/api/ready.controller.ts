import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../../libs/auth/auth.guard.js';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port.js';
import type { DocumentStore } from '../../libs/document-store/document-store.port.js';
import { readCheckpoints } from '../../libs/projections/checkpoints.js';
import { DOCUMENT_STORE, PROJECTION_NAMES } from '../../libs/projections/nest/read-model.tokens.js';
import { ReadModelMonitor } from '../../libs/projections/nest/read-model-monitor.js';
import { describeProblem } from '../../libs/projections/read-model-identity.js';
import { errorResponse } from '../../libs/http/error-response.js';
import { RETRY_AFTER_SECONDS } from '../../libs/http/error-mapping.js';
import { ApiAnswers } from '../../libs/http/openapi/api-answers.js';
import { Type } from '../../libs/http/openapi/schema.js';

const ReadySchema = Type.Object(
  {
    status: Type.Literal('ready'),
    logHead: Type.Integer({ minimum: 0 }),
    projections: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'The position each projection has reached, by name' }),
  },
  { $id: 'Ready' },
);

/** Each store gets this long to answer a readiness probe. */
const STORE_CHECK_TIMEOUT_MS = 2_000;
/** Ready while every projection is at most this many positions behind the log head. */
export const READY_MAX_PROJECTION_LAG = 1_000;

/**
 * Readiness (`@nestjs/terminus`): the event store and the document store answer within 2 s, the
 * read models belong to this log, and no projection lags the log head by more than
 * READY_MAX_PROJECTION_LAG positions. Not ready: 503 with Retry-After in the API's error shape,
 * one `errors` entry per failing check.
 */
@ApiTags('health')
@Controller('ready')
export class ReadyController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documentStore: DocumentStore,
    @Inject(PROJECTION_NAMES) private readonly projectionNames: readonly string[],
    @Inject(ReadModelMonitor) private readonly readModels: ReadModelMonitor,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Readiness: event store, document store, read models of this log, projection lag under a threshold; 503 when not ready' })
  @ApiAnswers({ 200: { description: 'Ready to serve', schema: ReadySchema } }, { errors: [{ status: 503, description: 'Not ready: one `errors` entry per failing check' }] })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    let head = 0;
    let checkpoints: Record<string, number> = {};
    const result: HealthCheckResult = await this.health
      .check([
        () =>
          this.indicators
            .check('eventStore')
            .attempt(async () => ({ head: (head = await this.eventStore.headPosition()) }))
            .withTimeout(STORE_CHECK_TIMEOUT_MS),
        () =>
          this.indicators
            .check('documentStore')
            .attempt(async () => ({ checkpoints: (checkpoints = await readCheckpoints(this.documentStore, this.projectionNames)) }))
            .withTimeout(STORE_CHECK_TIMEOUT_MS),
      ])
      .catch((error: unknown) => {
        if (error instanceof ServiceUnavailableException) return error.getResponse() as HealthCheckResult;
        throw error;
      });
    const failures = Object.entries(result.error ?? {}).map(([field, details]) => ({
      field,
      message: `did not answer within ${STORE_CHECK_TIMEOUT_MS / 1000} s: ${String((details as { message?: unknown }).message ?? 'down')}`,
    }));
    const status = this.readModels.status();
    if (status.status === 'refused') failures.push(...status.check.problems.map((problem) => ({ field: 'readModels', message: describeProblem(problem) })));
    if (failures.length === 0) {
      for (const [name, position] of Object.entries(checkpoints)) {
        if (head - position > READY_MAX_PROJECTION_LAG) failures.push({ field: `projections.${name}`, message: `${head - position} positions behind the log head ${head}` });
      }
    }
    if (failures.length > 0) {
      void reply.status(503).header('retry-after', String(RETRY_AFTER_SECONDS));
      return errorResponse(503, 'Not ready', failures);
    }
    return { status: 'ready', logHead: head, projections: checkpoints };
  }
}
