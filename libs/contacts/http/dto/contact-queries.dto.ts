import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsISO8601, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** `?minPosition=`: wait (up to 5 s) until the read models have reached a write's position. */
export class ConsistencyQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: "A write's `position`: the read waits (up to 5 s) until the read models reached it" })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;
}

export class ContactQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ description: 'ISO time: the view as it was then (folds the log up to that moment)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class SearchContactsQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ description: 'Words of the name, a phone number in any formatting, an e-mail or part of it' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'A tag, in any case; repeat the parameter (`tag=a&tag=b`) for contacts carrying all of them',
  })
  @IsOptional()
  @Transform(({ value }) => (Array.isArray(value) ? value : [value]))
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  tag?: string[];

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only blocked (true) or only not blocked (false) contacts' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'blocked must be true or false' })
  blocked?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,512}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class HistoryQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ description: 'Only changes by this actor' }) @IsOptional() @IsString() @MaxLength(128) actorId?: string;
  @ApiPropertyOptional({ description: 'Only changes of this field' }) @IsOptional() @IsString() @MaxLength(64) field?: string;
  @ApiPropertyOptional({ description: 'ISO time, inclusive' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'ISO time, inclusive' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `Next-Cursor` of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,512}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}
