import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { errorResponse } from './error-response.js';
import { RETRY_AFTER_SECONDS, toErrorResponse } from './error-mapping.js';

/** Renders every error in the API's one error shape; a bug becomes a 500 that says nothing internal. */
@Catch()
export class AllErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = toErrorResponse(error);
    if (!body) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const response = body ?? errorResponse(500, 'Internal server error');
    if (response.statusCode === 503) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    void reply.status(response.statusCode).header('content-type', 'application/json; charset=utf-8').send(response);
  }
}
