import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { type Measure, MEASURES, type StandardIndicatorEntity } from '#libs/database';
import { STANDARD_INDICATOR_SORTS } from '#libs/logframe';
import { PageQueryDto } from '../common/paging.js';
import { NotBlank, OptionalNotNull, QueryBoolean } from './reference.validation.js';

const CODE = /^[A-Za-z0-9._-]{1,40}$/;
const CODE_MESSAGE = 'code must be 1–40 letters, digits, ., _ or -';
const MEASURE_MESSAGE = `measure must be one of: ${MEASURES.join(', ')}`;
const UNIT_TEXT = 'Unit of the values (e.g. people, %); required for number and percentage measures';

export class StandardIndicatorCreateDto {
  @ApiProperty({ example: 'SI-JUST-01', pattern: CODE.source, description: 'Unique (ignoring case)' })
  @Matches(CODE, { message: CODE_MESSAGE })
  @IsString({ message: CODE_MESSAGE })
  code: string;

  @ApiProperty({ example: 'Number of criminal justice practitioners trained' })
  @NotBlank('title')
  @MaxLength(1000, { message: 'title must be at most 1000 characters' })
  @IsString({ message: 'title must be text' })
  title: string;

  @ApiProperty({
    example: 'Practitioners who completed a training course of at least three days, counted once per course',
  })
  @NotBlank('definition')
  @MaxLength(10000, { message: 'definition must be at most 10000 characters' })
  @IsString({ message: 'definition must be text' })
  definition: string;

  @ApiProperty({ enum: MEASURES, example: 'number', description: 'Percentages are on a 0–100 scale' })
  @IsIn(MEASURES as unknown as string[], { message: MEASURE_MESSAGE })
  measure: Measure;

  @ApiProperty({
    required: false,
    nullable: true,
    type: String,
    example: 'people',
    maxLength: 100,
    description: UNIT_TEXT,
  })
  @IsOptional()
  @MaxLength(100, { message: 'unit must be at most 100 characters' })
  @IsString({ message: 'unit must be text' })
  unit?: string | null;
}

export class StandardIndicatorUpdateDto {
  @ApiProperty({ description: 'The version you read (409 when someone changed it since)', example: 1 })
  @Min(1, { message: 'version must be 1 or more' })
  @IsInt({ message: 'version must be a whole number' })
  version: number;

  @ApiProperty({ required: false, pattern: CODE.source })
  @OptionalNotNull()
  @Matches(CODE, { message: CODE_MESSAGE })
  @IsString({ message: CODE_MESSAGE })
  code?: string;

  @ApiProperty({ required: false })
  @OptionalNotNull()
  @NotBlank('title')
  @MaxLength(1000, { message: 'title must be at most 1000 characters' })
  @IsString({ message: 'title must be text' })
  title?: string;

  @ApiProperty({ required: false })
  @OptionalNotNull()
  @NotBlank('definition')
  @MaxLength(10000, { message: 'definition must be at most 10000 characters' })
  @IsString({ message: 'definition must be text' })
  definition?: string;

  @ApiProperty({ required: false, enum: MEASURES, description: 'Fixed (422) once indicators map to it' })
  @OptionalNotNull()
  @IsIn(MEASURES as unknown as string[], { message: MEASURE_MESSAGE })
  measure?: Measure;

  @ApiProperty({
    required: false,
    nullable: true,
    type: String,
    description: `${UNIT_TEXT}; fixed (422) once indicators map to it`,
  })
  @IsOptional()
  @MaxLength(100, { message: 'unit must be at most 100 characters' })
  @IsString({ message: 'unit must be text' })
  unit?: string | null;

  @ApiProperty({ required: false, description: 'false deactivates it: it stays readable and keeps its mappings' })
  @OptionalNotNull()
  @IsBoolean({ message: 'isActive must be true or false' })
  isActive?: boolean;
}

export class StandardIndicatorQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: MEASURES })
  @IsOptional()
  @IsIn(MEASURES as unknown as string[], { message: MEASURE_MESSAGE })
  measure?: Measure;

  @ApiProperty({
    required: false,
    type: Boolean,
    description: 'true: only active ones; false: only deactivated ones; absent: both',
  })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'isActive must be true or false' })
  isActive?: boolean;
}

export class StandardIndicatorResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'SI-JUST-01' }) code: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) definition: string | null;
  @ApiProperty({ enum: MEASURES }) measure: Measure;
  @ApiProperty({ type: String, nullable: true, example: 'people' }) unit: string | null;
  @ApiProperty() isActive: boolean;
  @ApiProperty({ example: 1 }) version: number;
}

export class StandardIndicatorPageDto {
  @ApiProperty({ type: [StandardIndicatorResponseDto] }) items: StandardIndicatorResponseDto[];
  @ApiProperty({ example: 1, description: 'Standard indicators matching the filters (all pages)' }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 50 }) pageSize: number;
}

export const STANDARD_INDICATOR_SORT_TEXT = `Sort by ${STANDARD_INDICATOR_SORTS.join(', ')} (default code; prefix - for descending).`;

export function toStandardIndicatorResponse(s: StandardIndicatorEntity): StandardIndicatorResponseDto {
  return {
    id: s.id,
    code: s.code,
    title: s.title,
    definition: s.definition,
    measure: s.measure,
    unit: s.unit,
    isActive: s.isActive,
    version: s.version,
  };
}
