import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ConsistencyQueryDto } from '../../../contacts/http/dto/contact-queries.dto.js';

const NAME = { description: 'At least two characters with a letter, at most 200', maxLength: 512 };

export class CreateProfileDto {
  @ApiProperty(NAME)
  @IsString() @MaxLength(512)
  name!: string;

  @ApiPropertyOptional({ type: [String], maxItems: 100, description: 'Contacts to attach at once; a contact attached elsewhere moves' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(64, { each: true })
  contactIds?: string[];
}

export class RenameProfileDto {
  @ApiProperty(NAME)
  @IsString() @MaxLength(512)
  name!: string;
}

export class AttachContactDto {
  @ApiProperty({ maxLength: 64 })
  @IsString() @MaxLength(64)
  contactId!: string;
}

export class NoteDto {
  @ApiProperty({ description: '1 to 5,000 characters, not only spaces', maxLength: 5000 })
  @IsString() @MaxLength(20_000)
  text!: string;
}

const CURSOR = /^[A-Za-z0-9_-]{1,512}$/;

class PageQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional() @IsString() @Matches(CURSOR, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class SearchProfilesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: "Words of the profile's name, or a linked contact's name, phone (any formatting) or e-mail" })
  @IsOptional() @IsString() @MaxLength(200)
  q?: string;
}

export class TimelineQueryDto extends PageQueryDto {}

export class ProfileQueryDto extends ConsistencyQueryDto {}
