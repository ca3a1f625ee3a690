import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString } from 'class-validator';
import { EDITABLE_FIELDS } from '../../index.js';

export class RestoreFromChannelDto {
  @ApiPropertyOptional({ type: [String], enum: EDITABLE_FIELDS, description: 'All edited fields when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(EDITABLE_FIELDS.length)
  @IsString({ each: true })
  fields?: string[];
}
