import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** Grant or withdraw the contact-editing permission of one agent or many at once. */
export class ContactEditingPermissionDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 500 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(128, { each: true })
  agentIds!: string[];

  @ApiProperty({ description: 'true grants, false withdraws' })
  @IsBoolean()
  allowed!: boolean;
}
