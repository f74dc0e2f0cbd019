import {
  NullableNested,
  NullableText,
  NullableDate,
  NullableUuidRef,
  OptionalUuidRef,
  UuidRef,
  Nullable,
} from '../common/dto-decorators.js';
import { IsExactNumber } from '../common/exact-number.js';
import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { LNOB_GROUPS } from '#libs/calculations';
import { PageQueryDto } from '../common/paging.js';

const REVISION_FILTER = ['draft', 'submitted', 'returned', 'approved'] as const;

export class BudgetDto {
  @ApiProperty({ example: 2500000.5, description: 'Exact amount (stored as numeric)' })
  @Min(0, { message: 'budget.amount must not be negative' })
  @IsExactNumber({ maxDecimalPlaces: 2 }) // checked first (the lowest decorator runs first)
  amount: number;

  @ApiProperty({ example: 'USD', description: 'ISO 4217' })
  @Matches(/^[A-Z]{3}$/, { message: 'budget.currency must be an ISO 4217 code like USD' })
  currency: string;
}

class ProjectFieldsDto {
  @NullableText(10000)
  description?: string | null;
  @NullableUuidRef()
  programmeId?: string | null;
  @ApiProperty({ required: false, type: [String], example: ['KE', 'TZ'], description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @Matches(/^[A-Z]{2}$/, { each: true, message: 'each country must be an ISO 3166-1 alpha-2 code like KE' })
  countries?: string[];
  @NullableDate({ example: '2026-01-01' })
  startDate?: string | null;
  @NullableDate({ example: '2028-12-31' })
  endDate?: string | null;
  @NullableNested(() => BudgetDto)
  budget?: BudgetDto | null;
  @NullableText(20000)
  theoryOfChange?: string | null;
  @ApiProperty({
    type: Number,
    required: false,
    nullable: true,
    minimum: 0,
    maximum: 3,
    description: 'UN gender equality marker 0–3',
  })
  @Nullable()
  @IsInt({ message: 'genderMarker must be a whole number from 0 to 3' })
  @Min(0, { message: 'genderMarker must be from 0 to 3' })
  @Max(3, { message: 'genderMarker must be from 0 to 3' })
  genderMarker?: number | null;
  @ApiProperty({ type: Number, required: false, nullable: true, minimum: 0, maximum: 3 })
  @Nullable()
  @IsInt({ message: 'humanRightsMarker must be a whole number from 0 to 3' })
  @Min(0, { message: 'humanRightsMarker must be from 0 to 3' })
  @Max(3, { message: 'humanRightsMarker must be from 0 to 3' })
  humanRightsMarker?: number | null;
  @ApiProperty({ required: false, enum: LNOB_GROUPS, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(LNOB_GROUPS as unknown as string[], {
    each: true,
    message: `each lnobGroups entry must be one of: ${LNOB_GROUPS.join(', ')}`,
  })
  lnobGroups?: string[];
}

export class ProjectCreateDto extends ProjectFieldsDto {
  @ApiProperty({ example: 'KENZ23' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$/, {
    message: 'code must be 1–60 letters, digits, dots, dashes or underscores',
  })
  code: string;
  @ApiProperty({ example: 'Countering firearms trafficking in East Africa' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  title: string;
  @UuidRef({ description: 'The office that owns the project (one you manage)' })
  orgUnitId: string;
}

export class ProjectUpdateDto extends ProjectFieldsDto {
  @ApiProperty({ description: 'The version you read (409 when someone changed the project since)' })
  @IsInt({ message: 'version must be a whole number' })
  @Min(1)
  version: number;
  @ApiProperty({ required: false }) @IsOptional() @IsString() @MinLength(3) @MaxLength(1000) title?: string;
}

export class ProjectQueryDto extends PageQueryDto {
  @OptionalUuidRef({ description: 'Projects of this org unit and the units below it' })
  orgUnitId?: string;
  @OptionalUuidRef()
  programmeId?: string;
  @OptionalUuidRef()
  donorId?: string;
  @ApiProperty({
    required: false,
    example: '16.4',
    description: 'Projects whose working copy links this SDG target (anywhere in the logframe)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(12)
  sdgTarget?: string;
  @ApiProperty({ required: false, enum: REVISION_FILTER, description: 'Status of the latest logframe revision' })
  @IsOptional()
  @IsIn(REVISION_FILTER as unknown as string[], { message: `status must be one of: ${REVISION_FILTER.join(', ')}` })
  status?: string;
}

export class ProjectResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ format: 'uuid' }) orgUnitId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) programmeId: string | null;
  @ApiProperty({ type: [String] }) countries: string[];
  @ApiProperty({ nullable: true, type: String, format: 'date' }) startDate: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) endDate: string | null;
  @ApiProperty({ nullable: true, type: BudgetDto }) budget: BudgetDto | null;
  @ApiProperty({ nullable: true, type: String }) theoryOfChange: string | null;
  @ApiProperty({ nullable: true, type: Number }) genderMarker: number | null;
  @ApiProperty({ nullable: true, type: Number }) humanRightsMarker: number | null;
  @ApiProperty({ type: [String] }) lnobGroups: string[];
  @ApiProperty({ enum: ['entered', 'imported'] }) provenance: string;
  @ApiProperty({ nullable: true, type: String }) iatiIdentifier: string | null;
  @ApiProperty() version: number;
}

export class ProjectQuarterStateDto {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ example: 2, minimum: 1, maximum: 4 }) quarter: number;
  @ApiProperty({ enum: ['draft', 'submitted', 'validated', 'returned'] }) status: string;
}

export class ProjectValidatedQuarterDto {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ example: 1, minimum: 1, maximum: 4 }) quarter: number;
  @ApiProperty({ example: 2, description: 'Outcomes rated on track in that quarter' }) onTrack: number;
  @ApiProperty({ example: 1 }) atRisk: number;
  @ApiProperty({ example: 0 }) offTrack: number;
}

export class ProjectSummaryDto {
  @ApiProperty({ example: 'GDI-PO' }) orgUnitCode: string;
  @ApiProperty({ example: 'GDI Hub programme office' }) orgUnitName: string;
  @ApiProperty({ type: [String], description: 'Donors of its funding agreements' }) donors: string[];
  @ApiProperty({ type: [String], example: ['16.4'], description: 'SDG targets linked in the latest revision' })
  sdgTargetCodes: string[];
  @ApiProperty({ nullable: true, type: Number, example: 1 }) revisionNumber: number | null;
  @ApiProperty({ nullable: true, type: String, enum: ['draft', 'submitted', 'returned', 'approved', 'superseded'] })
  revisionStatus: string | null;
  @ApiProperty({
    nullable: true,
    type: ProjectQuarterStateDto,
    description: 'The latest quarter with a progress report',
  })
  lastQuarter: ProjectQuarterStateDto | null;
  @ApiProperty({
    nullable: true,
    type: ProjectValidatedQuarterDto,
    description: "Overall status: the latest validated quarter's outcome ratings, counted",
  })
  validatedQuarter: ProjectValidatedQuarterDto | null;
  @ApiProperty({
    example: 3,
    description:
      "Overall status: indicators of the latest approved revision whose next data is overdue today (last reported period end + one collection interval + the settings' grace days)",
  })
  overdueIndicators: number;
}

export class ProjectListItemDto extends ProjectResponseDto {
  @ApiProperty({ type: ProjectSummaryDto }) summary: ProjectSummaryDto;
}

export class ProjectPageDto {
  @ApiProperty({ type: [ProjectListItemDto] }) items: ProjectListItemDto[];
  @ApiProperty({ example: 42, description: 'Projects in your scope matching the filters' }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 50 }) pageSize: number;
}

export class LogframeQueryDto {
  @ApiProperty({
    required: false,
    example: 'approved',
    description: 'latest (default), approved, or a revision number',
  })
  @IsOptional()
  @Matches(/^(latest|approved|[1-9]\d{0,5})$/, { message: 'revision must be latest, approved or a revision number' })
  revision?: string;
}
