import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

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

  @ApiPropertyOptional({ ...FIELD, description: 'A tax or identity number (CPF, CNPJ, passport…), free text of at most 64 characters; `null` or `""` clears it' })
  @IsOptional() @IsString() @MaxLength(VALUE_MAX)
  document?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'Custom-field values by name (null clears): number, text (≤ 2,000), word (no whitespace, ≤ 100), single_choice (one option), ' +
      'multiple_choice (array of options), location ({ lat, lng, address? }), date (YYYY-MM-DD), time (HH:MM). ' +
      'Unknown names and bad values: 422 with errors[].field = customFields.<name>',
    example: { loyalty_level: 'gold', visits: 3 },
  })
  @IsOptional()
  @IsObject()
  customFields?: Record<string, unknown>;
}
