import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { CUSTOM_FIELD_TYPES } from '../custom-field-definitions.js';

/** A custom-field definition as sent; names, labels, types and options are checked by the domain (422). */
export class DefineCustomFieldDto {
  @ApiProperty({ pattern: '^[a-z][a-z0-9_]{0,39}$', example: 'loyalty_level', description: 'Technical name, unique in the workspace (409 when taken, archived fields included)' })
  @IsString()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'Loyalty level', maxLength: 100 })
  @IsString()
  @MaxLength(1000)
  label!: string;

  @ApiProperty({ enum: CUSTOM_FIELD_TYPES })
  @IsString()
  @MaxLength(100)
  type!: string;

  @ApiPropertyOptional({ type: [String], description: 'Non-empty and unique; only for single_choice and multiple_choice' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(1000, { each: true })
  options?: string[];

  @ApiPropertyOptional({ default: false, description: 'Shown to (and editable by) the customer through a self-service link' })
  @IsOptional()
  @IsBoolean()
  visibleToCustomer?: boolean;
}
