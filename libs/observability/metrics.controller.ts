import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.guard.js';
import { ApiAnswers } from '../http/openapi/api-answers.js';
import { Type } from '../http/openapi/schema.js';
import { ApiMetrics } from './api-metrics.js';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(ApiMetrics) private readonly metrics: ApiMetrics) {}

  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary:
      'Prometheus metrics (text format 0.0.4): commands by type and outcome with latency histograms, event append latency, ' +
      'projection lag and events per second by projection, open SSE clients, and the Node process. Keep it off the public network (the proxy).',
  })
  @ApiAnswers({ 200: { description: 'The metrics in the Prometheus text format', schema: Type.String(), contentType: 'text/plain' } })
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
