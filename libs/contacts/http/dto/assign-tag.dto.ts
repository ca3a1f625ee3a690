import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class AssignTagDto {
  @ApiProperty({ description: '1–64 characters after trimming; compared case-insensitively, the workspace keeps the first spelling', example: 'VIP' })
  @IsString()
  @MaxLength(1024)
  tag!: string;
}
