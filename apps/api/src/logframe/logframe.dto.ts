import {
  NestedArray,
  NullableNested,
  NullableNumber,
  NullableText,
  NullableDate,
  NullableUuidRef,
  OptionalId,
  Nullable,
  DATE,
  dateMessage,
} from '../common/dto-decorators.js';
import { IsExactNumber } from '../common/exact-number.js';
import { ApiProperty } from '@nestjs/swagger';
import {
  Allow,
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
import {
  AGGREGATIONS,
  ASSUMPTION_KINDS,
  COLLECTION_FREQUENCIES,
  DIRECTIONS,
  LIKELIHOODS,
  MEASURES,
  type Measure,
  SDG_CONTRIBUTIONS,
} from '#libs/database';

const oneOf = (name: string, values: readonly string[]) => ({
  message: `${name} must be one of: ${values.join(', ')}`,
});
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const codeMessage = {
  message: 'code must be 1–40 letters, digits, dots, dashes or underscores (e.g. OC1, OP1.1, OP1.1.1)',
};

export class SdgLinkDto {
  @ApiProperty({ example: '16.4', description: 'An SDG target of the official framework (1.A is read as 1.a)' })
  @IsString()
  @MaxLength(12)
  sdgTargetCode: string;

  @ApiProperty({ enum: SDG_CONTRIBUTIONS, example: 'primary' })
  @IsIn(SDG_CONTRIBUTIONS as unknown as string[], oneOf('contribution', SDG_CONTRIBUTIONS))
  contribution: 'primary' | 'secondary';

  @NullableText(4000, { example: 'Prosecutions of arms trafficking reduce illicit arms flows.' })
  rationale?: string | null;
}

export class AssumptionDto {
  @OptionalId({ description: 'Stable id; omit for a new assumption' })
  id?: string;

  @ApiProperty({ enum: ASSUMPTION_KINDS, example: 'assumption' })
  @IsIn(ASSUMPTION_KINDS as unknown as string[], oneOf('kind', ASSUMPTION_KINDS))
  kind: 'assumption' | 'risk';

  @ApiProperty({ example: 'The Ministry of Justice keeps its prosecution unit staffed.' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  statement: string;

  @ApiProperty({ enum: LIKELIHOODS, required: false, nullable: true })
  @Nullable()
  @IsIn(LIKELIHOODS as unknown as string[], oneOf('likelihood', LIKELIHOODS))
  likelihood?: 'low' | 'medium' | 'high' | null;

  @ApiProperty({ enum: LIKELIHOODS, required: false, nullable: true })
  @Nullable()
  @IsIn(LIKELIHOODS as unknown as string[], oneOf('impact', LIKELIHOODS))
  impact?: 'low' | 'medium' | 'high' | null;

  @NullableText(4000) mitigation?: string | null;
}

export class OrdinalScaleDto {
  @ApiProperty({ example: 1 }) @IsExactNumber() min: number;
  @ApiProperty({ example: 5 }) @IsExactNumber() max: number;
  @ApiProperty({
    required: false,
    type: Object,
    additionalProperties: { type: 'string' },
    example: { '1': 'no capacity', '5': 'full capacity' },
  })
  @IsOptional()
  labels?: Record<string, string>;
}

export class BaselineDto {
  @NullableNumber({ example: 12, description: 'In the indicator unit; percentages 0–100' })
  value?: number | null;
  @NullableNumber({ description: 'Percentages: numerator' })
  numerator?: number | null;
  @NullableNumber({ description: 'Percentages: denominator' })
  denominator?: number | null;
  @ApiProperty({ type: 'integer', required: false, nullable: true, example: 2025 })
  @Nullable()
  @IsInt({ message: 'year must be a whole number' })
  @Min(1990)
  @Max(2100)
  year?: number | null;
  @NullableDate({ example: '2025-12-31' })
  date?: string | null;
  @NullableText(4000) comment?: string | null;
  @NullableText(4000, { description: 'When no baseline exists yet: why' })
  notAvailableReason?: string | null;
  @NullableDate({ description: 'When no baseline exists yet: by when it will be set' })
  dueDate?: string | null;
}

export class EndTargetDto {
  @NullableNumber({ example: 120 })
  value?: number | null;
  @NullableNumber()
  numerator?: number | null;
  @NullableNumber()
  denominator?: number | null;
  @NullableText(4000, { description: 'Qualitative indicators: the end state, described' })
  description?: string | null;
}

export class PeriodTargetDto {
  @ApiProperty({ example: '2026-01-01' }) @Matches(DATE, dateMessage('periodStart')) periodStart: string;
  @ApiProperty({ example: '2026-03-31' }) @Matches(DATE, dateMessage('periodEnd')) periodEnd: string;
  @NullableNumber({ example: 30 })
  value?: number | null;
  @NullableNumber()
  numerator?: number | null;
  @NullableNumber()
  denominator?: number | null;
  @NullableText(4000, { description: 'Qualitative milestones' })
  description?: string | null;
}

/** Read-only (GET): when and why an indicator was retired. */
export class IndicatorRetiredDto {
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
}

/** Read-only (GET): a review note on an indicator, e.g. `aggregation_inferred` from an import. */
export class IndicatorFlagDto {
  @ApiProperty({ example: 'aggregation_inferred' }) code: string;
  @ApiProperty({ example: 'Aggregation inferred from the IATI measure: confirm it' }) message: string;
}

/** A field GET returns and PUT accepts back but ignores (marked `readOnly` in OpenAPI). */
const ReadOnly = () => Allow();

export class IndicatorDto {
  @OptionalId({ description: 'Stable id; omit for a new indicator (then matched by code)' })
  id?: string;

  @ApiProperty({ example: 'OP1.1.1' }) @Matches(CODE, codeMessage) code: string;
  @ApiProperty({ example: 'Number of prosecutors trained in investigating firearms trafficking' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  title: string;
  @NullableText(4000) definition?: string | null;
  @ApiProperty({ enum: MEASURES }) @IsIn(MEASURES as unknown as string[], oneOf('measure', MEASURES)) measure: Measure;
  @NullableText(100, { example: 'prosecutors' })
  unit?: string | null;
  @ApiProperty({ enum: DIRECTIONS })
  @IsIn(DIRECTIONS as unknown as string[], oneOf('direction', DIRECTIONS))
  direction: 'increase' | 'decrease';
  @ApiProperty({
    enum: AGGREGATIONS,
    description: 'sum: each period reports new results; latest: each period reports a level or running total',
  })
  @IsIn(AGGREGATIONS as unknown as string[], oneOf('aggregation', AGGREGATIONS))
  aggregation: 'sum' | 'latest';
  @NullableNested(() => OrdinalScaleDto)
  ordinalScale?: OrdinalScaleDto | null;
  @NullableNested(() => BaselineDto)
  baseline?: BaselineDto | null;
  @NullableNested(() => EndTargetDto)
  endTarget?: EndTargetDto | null;
  @NullableText(4000, { example: 'Training attendance sheets and post-test results' })
  meansOfVerification?: string | null;
  @NullableText(1000) dataSource?: string | null;
  @ApiProperty({ required: false, nullable: true, enum: COLLECTION_FREQUENCIES })
  @Nullable()
  @IsIn(COLLECTION_FREQUENCIES as unknown as string[], oneOf('collectionFrequency', COLLECTION_FREQUENCIES))
  collectionFrequency?: 'quarterly' | 'semi_annual' | 'annual' | 'end_of_project' | null;
  @ApiProperty({ required: false, type: [String], example: ['sex', 'age'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @Matches(/^[a-z][a-z_]{0,39}$/, {
    each: true,
    message: 'each required disaggregation must be a lower-case name like sex or age',
  })
  requiredDisaggregations?: string[];
  @NullableUuidRef()
  standardIndicatorId?: string | null;
  @NullableText(12, { example: '16.4.2', description: 'One SDG indicator; implies its target' })
  sdgIndicatorCode?: string | null;
  @NestedArray(() => PeriodTargetDto, { max: 200 })
  periodTargets: PeriodTargetDto[];

  @ApiProperty({ readOnly: true, required: false, type: 'integer', description: 'Actuals saved for this indicator' })
  @ReadOnly()
  actualCount?: number;
  @ApiProperty({ readOnly: true, required: false, nullable: true, type: IndicatorRetiredDto })
  @ReadOnly()
  retired?: IndicatorRetiredDto | null;
  @ApiProperty({
    readOnly: true,
    required: false,
    nullable: true,
    type: String,
    example: '16.4',
    description: 'The SDG target implied by sdgIndicatorCode',
  })
  @ReadOnly()
  impliedSdgTargetCode?: string | null;
  @ApiProperty({ readOnly: true, required: false, type: [IndicatorFlagDto] })
  @ReadOnly()
  flags?: IndicatorFlagDto[];
}

export class ActivityDto {
  @OptionalId()
  id?: string;
  @ApiProperty({ example: 'A1.1.1' }) @Matches(CODE, codeMessage) code: string;
  @ApiProperty({ example: 'Run a five-day investigation course in Nairobi' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  description: string;
  @NullableDate()
  startDate?: string | null;
  @NullableDate()
  endDate?: string | null;
}

export class OutputDto {
  @OptionalId()
  id?: string;
  @ApiProperty({ example: 'OP1.1' }) @Matches(CODE, codeMessage) code: string;
  @ApiProperty({ example: 'Prosecutors are trained to investigate firearms trafficking' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  statement: string;
  @NestedArray(() => SdgLinkDto, { max: 50 })
  sdgLinks: SdgLinkDto[];
  @NestedArray(() => AssumptionDto, { max: 50 })
  assumptions: AssumptionDto[];
  @NestedArray(() => IndicatorDto, { max: 50 })
  indicators: IndicatorDto[];
  @NestedArray(() => ActivityDto, { max: 100 })
  activities: ActivityDto[];
}

export class OutcomeDto {
  @OptionalId()
  id?: string;
  @ApiProperty({ example: 'OC1' }) @Matches(CODE, codeMessage) code: string;
  @ApiProperty({ example: 'Criminal justice institutions investigate and prosecute firearms trafficking effectively' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  statement: string;
  @NestedArray(() => SdgLinkDto, { max: 50 })
  sdgLinks: SdgLinkDto[];
  @NestedArray(() => AssumptionDto, { max: 50 })
  assumptions: AssumptionDto[];
  @NestedArray(() => IndicatorDto, { max: 50 })
  indicators: IndicatorDto[];
  @NestedArray(() => OutputDto, { max: 50 })
  outputs: OutputDto[];
}

class RevisionRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'integer', example: 1 }) number: number;
  @ApiProperty({ enum: ['draft', 'submitted', 'returned', 'approved', 'superseded'] }) status: string;
}

/**
 * The whole logframe (PUT replaces the draft working copy with it, all or nothing). PUT accepts what
 * GET returns: the read-only fields (`projectId`, `revision`, and per indicator `actualCount`,
 * `retired`, `impliedSdgTargetCode`, `flags`) are marked `readOnly` and ignored.
 */
export class LogframeDto {
  @ApiProperty({ readOnly: true, required: false, format: 'uuid' }) @ReadOnly() projectId?: string;
  @ApiProperty({ readOnly: true, required: false, type: RevisionRefDto }) @ReadOnly() revision?: RevisionRefDto;

  @ApiProperty({ example: 3, description: 'The version you read (GET); 409 when someone saved since' })
  @IsInt({ message: 'version must be a whole number' })
  @Min(1)
  version: number;

  @NestedArray(() => SdgLinkDto, { max: 50 }, { description: 'Project-level SDG target links (one primary)' })
  sdgLinks: SdgLinkDto[];
  @NestedArray(() => AssumptionDto, { max: 50 }, { description: 'Project-level assumptions and risks' })
  assumptions: AssumptionDto[];
  @NestedArray(() => IndicatorDto, { max: 50 }, { description: 'Impact indicators (on the project)' })
  impactIndicators: IndicatorDto[];
  @NestedArray(() => OutcomeDto, { max: 50 })
  outcomes: OutcomeDto[];
  @NestedArray(() => OutputDto, { max: 100 }, { description: 'Outputs not yet linked to an outcome (drafts only)' })
  unlinkedOutputs: OutputDto[];
}

export class IndicatorRetireDto {
  @ApiProperty({ example: 'Replaced by OP1.1.3, which counts prosecutors certified rather than trained' })
  @IsString()
  @MinLength(5, { message: 'reason must say why, in at least 5 characters' })
  @MaxLength(2000)
  reason: string;
}

/** The logframe as read (the same document as PUT, with its read-only fields filled). */
export class LogframeResponseDto extends LogframeDto {}

/** A realistic logframe for Swagger: one outcome, one output, indicators of three measures. */
export const LOGFRAME_EXAMPLE = {
  version: 1,
  sdgLinks: [
    {
      sdgTargetCode: '16.4',
      contribution: 'primary',
      rationale: 'Fewer trafficked firearms reduce illicit arms flows.',
    },
  ],
  assumptions: [
    {
      kind: 'assumption',
      statement: 'Governments keep firearms trafficking a criminal justice priority.',
      likelihood: 'medium',
      impact: 'high',
    },
  ],
  impactIndicators: [],
  outcomes: [
    {
      code: 'OC1',
      statement: 'Criminal justice institutions investigate and prosecute firearms trafficking effectively',
      sdgLinks: [
        {
          sdgTargetCode: '16.4',
          contribution: 'primary',
          rationale: 'Prosecutions target the illicit arms flows of 16.4.',
        },
      ],
      assumptions: [],
      indicators: [
        {
          code: 'OC1.1',
          title: 'Percentage of firearms trafficking cases referred that reach a verdict',
          measure: 'percentage',
          unit: 'percent',
          direction: 'increase',
          aggregation: 'latest',
          baseline: { value: 20, year: 2025 },
          endTarget: { value: 45 },
          meansOfVerification: 'Court records compiled by the national prosecution service',
          collectionFrequency: 'annual',
          sdgIndicatorCode: '16.4.2',
          periodTargets: [
            { periodStart: '2026-01-01', periodEnd: '2026-12-31', value: 30 },
            { periodStart: '2027-01-01', periodEnd: '2027-12-31', value: 45 },
          ],
        },
      ],
      outputs: [
        {
          code: 'OP1.1',
          statement: 'Prosecutors are trained to investigate firearms trafficking',
          sdgLinks: [],
          assumptions: [],
          indicators: [
            {
              code: 'OP1.1.1',
              title: 'Number of prosecutors trained',
              measure: 'number',
              unit: 'people',
              direction: 'increase',
              aggregation: 'sum',
              baseline: { value: 0, year: 2025 },
              endTarget: { value: 120 },
              meansOfVerification: 'Attendance sheets',
              collectionFrequency: 'quarterly',
              requiredDisaggregations: ['sex'],
              periodTargets: [
                { periodStart: '2026-01-01', periodEnd: '2026-03-31', value: 30 },
                { periodStart: '2026-04-01', periodEnd: '2026-06-30', value: 30 },
                { periodStart: '2026-07-01', periodEnd: '2026-09-30', value: 30 },
                { periodStart: '2026-10-01', periodEnd: '2026-12-31', value: 30 },
              ],
            },
          ],
          activities: [
            {
              code: 'A1.1.1',
              description: 'Run a five-day investigation course',
              startDate: '2026-02-01',
              endDate: '2026-11-30',
            },
          ],
        },
      ],
    },
  ],
  unlinkedOutputs: [],
};
