import 'reflect-metadata';
import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LogController, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../../libs/config/config.js';
import { ApiModule } from './api.module.js';
import { requestValidationPipe } from '../../libs/http/request-validation.js';
import { buildApiDocument, serveApiDocument } from '../../libs/http/openapi/api-document.js';
import { ApiMetrics } from '../../libs/observability/api-metrics.js';
import { recordCommandMetrics } from '../../libs/observability/command-metrics.js';
import { harden } from '../../libs/http/hardening.js';
import { errorResponse } from '../../libs/http/error-response.js';
import { drainOnClose } from '../../libs/http/graceful-close.js';
import { correlationIdOf, echoCorrelationId } from '../../libs/http/correlation-id.js';

const BODY_LIMIT_BYTES = 64 * 1024;
/** Fastify's default: no id, token or name of the API comes near it. */
const MAX_PATH_SEGMENT = 100;

/**
 * Builds the API (not listening yet): the same app serves `npm start` and the end-to-end tests.
 * With logs on, every line on stdout is JSON: Fastify's pino logger writes one per request received
 * and completed, labelled with its correlation id; Nest's own lines are JSON too.
 */
export async function createApiApp(config: AppConfig, logLevels: LogLevel[] | false = ['log', 'warn', 'error']): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    logger: logLevels === false ? false : { level: 'info' },
    genReqId: correlationIdOf,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'correlationId' }),
    maxParamLength: MAX_PATH_SEGMENT,
    // Errors the router answers before any route: the one error shape too.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const tooLong = error.statusCode === 414;
      void reply
        .code(tooLong ? 414 : 400)
        .send(errorResponse(tooLong ? 414 : 400, tooLong ? `A path segment is longer than ${MAX_PATH_SEGMENT} characters.` : 'The URL is malformed (an invalid percent-escape?).'));
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forConfig(config), adapter, {
    logger: logLevels === false ? false : new ConsoleLogger({ json: true, logLevels }),
    abortOnError: false,
    // JSON only: Nest's default parsers would also accept form bodies, which API.md refuses (415).
    bodyParser: false,
  });
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  const metrics = app.get(ApiMetrics);
  await harden(app, config, () => metrics.rateLimited.inc());
  echoCorrelationId(app.getHttpAdapter().getInstance());
  drainOnClose(app.getHttpAdapter().getInstance());
  recordCommandMetrics(app.getHttpAdapter().getInstance(), metrics);
  app.useGlobalPipes(requestValidationPipe());
  // Signals are main.ts's (graceful shutdown, exit 0); tests close the app themselves.
  serveApiDocument(app, buildApiDocument(app));
  return app;
}
