import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { EDITABLE_FIELDS, type EditableField } from '../../contact-fields.js';

const VALUE_MAX = 512;
const CLEARS = '`null` or `""` clears the field';

/** What the document says of each editable field: a Record, so a field added to EDITABLE_FIELDS cannot be left out. */
const FIELD_DESCRIPTIONS: Record<EditableField, string> = {
  name: CLEARS,
  phone: CLEARS,
  email: CLEARS,
  country: CLEARS,
  language: CLEARS,
  document: 'A tax or identity number (CPF, CNPJ, passport…), free text of at most 64 characters; `null` or `""` clears it',
};

/**
 * An agent's edit: only the fields sent change; all are checked before anything is written.
 * The editable fields come from the domain's EDITABLE_FIELDS (decorated below), declared once.
 */
export class EditContactDto {
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

export interface EditContactDto extends Partial<Record<EditableField, string | null>> {}

for (const field of EDITABLE_FIELDS) {
  const decorators = [
    ApiPropertyOptional({ type: String, nullable: true, maxLength: VALUE_MAX, description: FIELD_DESCRIPTIONS[field] }),
    IsOptional(),
    IsString(),
    MaxLength(VALUE_MAX),
  ];
  for (const decorate of decorators) decorate(EditContactDto.prototype, field);
}
