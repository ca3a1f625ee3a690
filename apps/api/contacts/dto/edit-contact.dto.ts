import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

const VALUE_MAX = 512;
const FIELD = { type: String, nullable: true, maxLength: VALUE_MAX, description: '`null` or `""` clears the field' };

/** An agent's edit: only the fields sent change; all are checked before anything is written. */
export class EditContactDto {
  @ApiPropertyOptional(FIELD)
  @IsOptional() @IsString() @MaxLength(VALUE_MAX)
  name?: string | null;

  @ApiPropertyOptional(FIELD)
  @IsOptional() @IsString() @MaxLength(VALUE_MAX)
  phone?: string | null;

  @ApiPropertyOptional(FIELD)
  @IsOptional() @IsString() @MaxLength(VALUE_MAX)
  email?: string | null;

  @ApiPropertyOptional(FIELD)
  @IsOptional() @IsString() @MaxLength(VALUE_MAX)
  country?: string | null;

  @ApiPropertyOptional(FIELD)
  @IsOptional() @IsString() @MaxLength(VALUE_MAX)
  language?: string | null;
}
