import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ConsistencyQueryDto } from './contact-queries.dto.js';

export class ListTagsQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ description: 'Only tags starting with this, in any case (suggestions while typing)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  prefix?: string;
}
