import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class EventStreamQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'Exclusive: only events after this position (0: from the start). A `Last-Event-ID` header, when given, takes its place.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  from?: number;

  @ApiPropertyOptional({ description: 'A comma list of event types, e.g. `ContactFieldEdited,ContactFieldCleared`; all when absent', example: 'ContactFieldEdited,ContactFieldCleared' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((type) => type.trim()).filter((type) => type !== '') : value))
  @ArrayMaxSize(50)
  @Matches(/^[A-Za-z][A-Za-z0-9]{0,99}$/, { each: true, message: 'types must be a comma list of event type names' })
  types?: string[];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'At most this many events, then the response ends' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  limit?: number;

  @ApiPropertyOptional({ type: 'boolean', default: false, description: 'true: stay open at the head and send new events as they are appended' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'follow must be true or false' })
  follow?: 'true' | 'false';
}
