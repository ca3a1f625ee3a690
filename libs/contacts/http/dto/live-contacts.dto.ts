import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsUUID } from 'class-validator';

export class LiveContactsQueryDto {
  @ApiProperty({ type: 'string', description: 'A comma list of 1 to 100 contact ids to watch', example: '0f8e2a4c-1d3b-5e6f-8a9b-0c1d2e3f4a5b,5b0c…' })
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((id) => id.trim()).filter((id) => id !== '') : value))
  @ArrayMinSize(1, { message: 'ids must name at least one contact' })
  @ArrayMaxSize(100, { message: 'ids may name at most 100 contacts' })
  @IsUUID('all', { each: true, message: 'ids must be a comma list of contact ids' })
  ids!: string[];
}
