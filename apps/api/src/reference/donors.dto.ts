import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import type { DonorEntity } from '#libs/database';
import { DONOR_SORTS } from '#libs/logframe';
import { NotBlank, OptionalNotNull } from './reference.validation.js';

/** IATI organisation identifiers: no white space and none of / & | ? (IATI guidance), at most 100 characters. */
const IATI_ORG_REF = /^[^\s/&|?]{1,100}$/;
const IATI_ORG_REF_MESSAGE =
  'iatiOrgRef must be an IATI organisation identifier such as GB-GOV-3 (no spaces or / & | ?, at most 100 characters)';

export class DonorCreateDto {
  @ApiProperty({ example: 'Foreign, Commonwealth & Development Office', maxLength: 300 })
  @NotBlank('name')
  @MaxLength(300, { message: 'name must be at most 300 characters' })
  @IsString({ message: 'name must be text' })
  name: string;

  @ApiProperty({
    required: false,
    nullable: true,
    type: String,
    example: 'GB-GOV-1',
    description: 'IATI organisation identifier; unique (409 naming it)',
  })
  @IsOptional()
  @Matches(IATI_ORG_REF, { message: IATI_ORG_REF_MESSAGE })
  @IsString({ message: IATI_ORG_REF_MESSAGE })
  iatiOrgRef?: string | null;
}

export class DonorUpdateDto {
  @ApiProperty({ description: 'The version you read (409 when someone changed the donor since)', example: 1 })
  @Min(1, { message: 'version must be 1 or more' })
  @IsInt({ message: 'version must be a whole number' })
  version: number;

  @ApiProperty({ required: false, maxLength: 300 })
  @OptionalNotNull()
  @NotBlank('name')
  @MaxLength(300, { message: 'name must be at most 300 characters' })
  @IsString({ message: 'name must be text' })
  name?: string;

  @ApiProperty({ required: false, nullable: true, type: String, description: 'null clears it' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(IATI_ORG_REF, { message: IATI_ORG_REF_MESSAGE })
  @IsString({ message: IATI_ORG_REF_MESSAGE })
  iatiOrgRef?: string | null;
}

export class DonorResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Foreign, Commonwealth & Development Office' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: 'GB-GOV-1' }) iatiOrgRef: string | null;
  @ApiProperty({ example: 1 }) version: number;
}

export class DonorPageDto {
  @ApiProperty({ type: [DonorResponseDto] }) items: DonorResponseDto[];
  @ApiProperty({ example: 1, description: 'Donors in your scope matching the filter (all pages)' }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 50 }) pageSize: number;
}

export const DONOR_SORT_TEXT = `Sort by ${DONOR_SORTS.join(', ')} (default name; prefix - for descending).`;

export function toDonorResponse(d: DonorEntity): DonorResponseDto {
  return { id: d.id, name: d.name, iatiOrgRef: d.iatiOrgRef, version: d.version };
}
