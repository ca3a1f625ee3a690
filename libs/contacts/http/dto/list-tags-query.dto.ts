import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { TAG_LIST_MAX } from '../../projections/tag-usage/list-tags.js';
import { ConsistencyQueryDto } from './contact-queries.dto.js';

export class ListTagsQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ description: 'Only tags starting with this, in any case (suggestions while typing)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  prefix?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: TAG_LIST_MAX, default: TAG_LIST_MAX, description: 'At most this many tags, the first by name: narrow with ?prefix=' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(TAG_LIST_MAX)
  limit?: number;
}
