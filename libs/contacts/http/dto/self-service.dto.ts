import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class IssueSelfServiceLinkDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 168, default: 24 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(168)
  expiresInHours?: number;
}

const FIELD = { type: String, nullable: true, maxLength: 512, description: '`null` or `""` clears it' };

/** What the customer may change: name, phone, e-mail (unless locked) and the custom fields shown to customers. */
export class SelfServiceEditDto {
  @ApiPropertyOptional(FIELD) @IsOptional() @IsString() @MaxLength(512) name?: string | null;
  @ApiPropertyOptional(FIELD) @IsOptional() @IsString() @MaxLength(512) phone?: string | null;
  @ApiPropertyOptional(FIELD) @IsOptional() @IsString() @MaxLength(512) email?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Values of the custom fields shown to customers, by name (others: 403)' })
  @IsOptional()
  @IsObject()
  customFields?: Record<string, unknown>;
}
