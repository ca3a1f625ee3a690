import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { CHANNELS, type Channel } from '../../index.js';

const VALUE_MAX = 512;

/** What a channel connector reports about a contact (API.md). Values are the channel's, as it gives them. */
export class ReportChannelContactDto {
  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel!: Channel;

  @ApiProperty({ description: "The channel's own id of the contact (WhatsApp number, e-mail address, chat id…)", maxLength: 256 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  channelContactId!: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: VALUE_MAX })
  @IsOptional() @IsString() @MaxLength(VALUE_MAX)
  name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: VALUE_MAX })
  @IsOptional() @IsString() @MaxLength(VALUE_MAX)
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: VALUE_MAX })
  @IsOptional() @IsString() @MaxLength(VALUE_MAX)
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: VALUE_MAX })
  @IsOptional() @IsString() @MaxLength(VALUE_MAX)
  country?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: VALUE_MAX })
  @IsOptional() @IsString() @MaxLength(VALUE_MAX)
  language?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2048 })
  @IsOptional() @IsString() @MaxLength(2048)
  avatarUrl?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: VALUE_MAX, description: 'A tax or identity number the channel knows (CPF, CNPJ…)' })
  @IsOptional() @IsString() @MaxLength(VALUE_MAX)
  document?: string | null;
}
