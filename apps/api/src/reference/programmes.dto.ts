import { OptionalUuidRef, UuidRef } from '../common/dto-decorators.js';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { PROGRAMME_SCOPES, type ProgrammeEntity, type ProgrammeScope } from '#libs/database';
import { PROGRAMME_SORTS } from '#libs/logframe';
import { PageQueryDto } from '../common/paging.js';
import { IsCalendarDate, NotBlank, OptionalNotNull } from './reference.validation.js';

const CODE = /^[A-Za-z0-9._-]{1,32}$/;
const CODE_MESSAGE = 'code must be 1–32 letters, digits, ., _ or -';
const SCOPE_MESSAGE = `scope must be one of: ${PROGRAMME_SCOPES.join(', ')}`;

export class ProgrammeCreateDto {
  @ApiProperty({ example: 'GLOT59', pattern: CODE.source, description: 'Unique (ignoring case)' })
  @Matches(CODE, { message: CODE_MESSAGE })
  @IsString({ message: CODE_MESSAGE })
  code: string;

  @ApiProperty({ example: 'Global Programme against Trafficking in Persons', maxLength: 500 })
  @NotBlank('title')
  @MaxLength(500, { message: 'title must be at most 500 characters' })
  @IsString({ message: 'title must be text' })
  title: string;

  @ApiProperty({ enum: PROGRAMME_SCOPES, example: 'global' })
  @IsIn(PROGRAMME_SCOPES as unknown as string[], { message: SCOPE_MESSAGE })
  scope: ProgrammeScope;

  @UuidRef({ description: 'Owning org unit: admins any; project managers a unit they manage' })
  orgUnitId: string;

  @ApiProperty({ format: 'date', example: '2026-01-01', description: 'Calendar date YYYY-MM-DD' })
  @IsCalendarDate()
  startDate: string;

  @ApiProperty({
    format: 'date',
    example: '2029-12-31',
    description: 'Calendar date YYYY-MM-DD, on or after startDate',
  })
  @IsCalendarDate()
  endDate: string;
}

export class ProgrammeUpdateDto {
  @ApiProperty({ description: 'The version you read (409 when someone changed the programme since)', example: 1 })
  @Min(1, { message: 'version must be 1 or more' })
  @IsInt({ message: 'version must be a whole number' })
  version: number;

  @ApiProperty({ required: false, example: 'GLOT59', pattern: CODE.source })
  @OptionalNotNull()
  @Matches(CODE, { message: CODE_MESSAGE })
  @IsString({ message: CODE_MESSAGE })
  code?: string;

  @ApiProperty({ required: false, maxLength: 500 })
  @OptionalNotNull()
  @NotBlank('title')
  @MaxLength(500, { message: 'title must be at most 500 characters' })
  @IsString({ message: 'title must be text' })
  title?: string;

  @ApiProperty({ required: false, enum: PROGRAMME_SCOPES })
  @OptionalNotNull()
  @IsIn(PROGRAMME_SCOPES as unknown as string[], { message: SCOPE_MESSAGE })
  scope?: ProgrammeScope;

  @ApiProperty({
    required: false,
    format: 'uuid',
    description: 'Move to another org unit (you need the right there too)',
  })
  @OptionalNotNull()
  @IsUUID('all', { message: 'orgUnitId must be a UUID' })
  orgUnitId?: string;

  @ApiProperty({ required: false, format: 'date', example: '2026-01-01' })
  @OptionalNotNull()
  @IsCalendarDate()
  startDate?: string;

  @ApiProperty({ required: false, format: 'date', example: '2029-12-31' })
  @OptionalNotNull()
  @IsCalendarDate()
  endDate?: string;
}

export class ProgrammeQueryDto extends PageQueryDto {
  @OptionalUuidRef({ description: 'Only programmes of this org unit (exactly; not the units below it)' })
  orgUnitId?: string;
}

export class ProgrammeResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'GLOT59' }) code: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: PROGRAMME_SCOPES }) scope: ProgrammeScope;
  @ApiProperty({ format: 'uuid' }) orgUnitId: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2026-01-01' }) startDate: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2029-12-31' }) endDate: string | null;
  @ApiProperty({ example: 1, description: 'Send it back with a change' }) version: number;
}

export class ProgrammePageDto {
  @ApiProperty({ type: [ProgrammeResponseDto] }) items: ProgrammeResponseDto[];
  @ApiProperty({ example: 1, description: 'Programmes in your scope matching the filters (all pages)' }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 50 }) pageSize: number;
}

export const PROGRAMME_SORT_TEXT = `Sort by ${PROGRAMME_SORTS.join(', ')} (default code; prefix - for descending).`;

export function toProgrammeResponse(p: ProgrammeEntity): ProgrammeResponseDto {
  return {
    id: p.id,
    code: p.code,
    title: p.title,
    scope: p.scope,
    orgUnitId: p.orgUnitId,
    startDate: p.startDate,
    endDate: p.endDate,
    version: p.version,
  };
}
