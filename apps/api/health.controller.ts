import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../libs/auth/auth.guard.js';
import { ApiAnswers } from '../../libs/http/openapi/api-answers.js';
import { Nullable, Type, type Static } from '../../libs/http/openapi/schema.js';
import { describeProblem } from '../../libs/projections/read-model-identity.js';
import { ReadModelMonitor } from '../../libs/projections/nest/read-model-monitor.js';

const HealthSchema = Type.Object(
  {
    status: Type.Literal('ok'),
    logId: Nullable(Type.String({ description: 'The id of the event log (created with it); null before the first check' })),
    logHead: Nullable(Type.Integer({ minimum: 0, description: 'The position of the last event in the log at the last check' })),
    projections: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'The position each projection had reached at the last check, by name' }),
    readModels: Type.Object(
      {
        status: Type.Union([Type.Literal('ok'), Type.Literal('refused'), Type.Literal('unknown')], {
          description: '`refused`: the read models belong to another log or are beyond its head, and no read is served from them (503)',
        }),
        checkedAt: Nullable(Type.String({ format: 'date-time' })),
        problems: Type.Optional(Type.Array(Type.String())),
        reason: Type.Optional(Type.String({ description: 'Why the last check could not finish' })),
      },
      { description: 'The background check (about every second) that the read models belong to this log' },
    ),
  },
  { $id: 'Health' },
);

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(ReadModelMonitor) private readonly readModels: ReadModelMonitor) {}

  @Public()
  @Get()
  @ApiOperation({
    summary:
      "Liveness: answers 200 at once while the process serves, never waiting on a store, with the last background check (about a second old) " +
      "of the log's id and head, each projection's checkpoint, and whether the read models are this log's",
  })
  @ApiAnswers({ 200: { description: 'The API serves', schema: HealthSchema } })
  health(): Static<typeof HealthSchema> {
    const latest = this.readModels.status();
    return {
      status: 'ok',
      logId: latest.check?.logId ?? null,
      logHead: latest.check?.head ?? null,
      projections: latest.check?.checkpoints ?? {},
      readModels: {
        status: latest.status,
        checkedAt: latest.checkedAt,
        ...(latest.status === 'refused' && { problems: latest.check.problems.map(describeProblem) }),
        ...(latest.status === 'unknown' && { reason: latest.reason }),
      },
    };
  }
}
