import {
  NestedArray,
  NullableNumber,
  NullableText,
  UuidRef,
  NonBlankText,
  Nullable,
  DATE,
} from '../common/dto-decorators.js';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { MILESTONE_RATINGS, OUTCOME_RATINGS } from '#libs/database';

export class DisaggregatedValueDto {
  @ApiProperty({
    example: 'sex',
    description: 'Mutually exclusive dimensions (sex, age, disability, location, urban_rural) must add up to the total',
  })
  @Matches(/^[a-z][a-z_]{0,39}$/, { message: 'dimension must be a lower-case name like sex or age' })
  dimension: string;
  @NonBlankText('category must not be blank', 200, { example: 'female' })
  category: string;
  @NullableNumber({ example: 12 })
  value?: number | null;
  @NullableNumber()
  numerator?: number | null;
  @NullableNumber()
  denominator?: number | null;
}

export class ActualDto {
  @UuidRef({ description: "The indicator's stable id" })
  indicatorId: string;
  @ApiProperty({ required: false, example: '2026-07-01', description: 'Default: the quarter' })
  @IsOptional()
  @Matches(DATE, { message: 'periodStart must be a calendar date YYYY-MM-DD' })
  periodStart?: string;
  @ApiProperty({ required: false, example: '2026-09-30', description: 'Must fall in the quarter' })
  @IsOptional()
  @Matches(DATE, { message: 'periodEnd must be a calendar date YYYY-MM-DD' })
  periodEnd?: string;
  @NullableNumber({ example: 25, description: 'Number, or scale value (ordinal)' })
  value?: number | null;
  @NullableNumber({ description: 'Percentages: numerator (the value is 100·numerator/denominator)' })
  numerator?: number | null;
  @NullableNumber()
  denominator?: number | null;
  @NullableText(4000, { description: 'Qualitative: what was achieved' })
  text?: string | null;
  @ApiProperty({ required: false, nullable: true, enum: MILESTONE_RATINGS })
  @Nullable()
  @IsIn(MILESTONE_RATINGS as unknown as string[], { message: `rating must be one of: ${MILESTONE_RATINGS.join(', ')}` })
  rating?: 'achieved' | 'partly_achieved' | 'not_achieved' | null;
  @NullableText(4000) comment?: string | null;
  @ApiProperty({
    type: String,
    required: false,
    nullable: true,
    example: 'https://intranet.example.org/evidence/attendance-q3.pdf',
  })
  @Nullable()
  @IsUrl({ require_protocol: true }, { message: 'evidenceUrl must be a URL' })
  @MaxLength(2000)
  evidenceUrl?: string | null;
  @NestedArray(() => DisaggregatedValueDto, { max: 100, optional: true })
  disaggregations?: DisaggregatedValueDto[];
  @ApiProperty({
    required: false,
    nullable: true,
    type: 'integer',
    minimum: 1,
    description:
      'The version of this actual when you read it (`actuals[].version` of GET .../progress/:year/:quarter); omit it for an actual that did not exist. A stale version answers 409 listing the current value, who saved it and when',
  })
  @Nullable()
  @IsInt({ message: 'version must be a whole number' })
  @Min(1, { message: 'version must be 1 or more' })
  version?: number | null;
}

export class QuarterActualsDto {
  @NestedArray(() => ActualDto, { max: 1000 })
  actuals: ActualDto[];
}

export class OutcomeRatingDto {
  @UuidRef() outcomeId: string;
  @ApiProperty({ enum: OUTCOME_RATINGS })
  @IsIn(OUTCOME_RATINGS as unknown as string[], { message: `rating must be one of: ${OUTCOME_RATINGS.join(', ')}` })
  rating: 'on_track' | 'at_risk' | 'off_track';
  @ApiProperty({ example: 'Two of three outputs are on track; court backlogs delay verdicts.' })
  @IsString()
  @MaxLength(4000)
  justification: string;
}

export class VarianceExplanationDto {
  @UuidRef() indicatorId: string;
  @NonBlankText('explanation must not be blank', 4000, { example: 'Training postponed to Q4 after the elections.' })
  explanation: string;
}

export class VersionDto {
  @ApiProperty({ description: 'The quarter version you read (409 when someone acted since)' })
  @IsInt({ message: 'version must be a whole number' })
  @Min(1)
  version: number;
}

const ASSUMPTION_STATUSES = ['holds', 'at_risk', 'no_longer_holds', 'materialised', 'mitigated'] as const;

export class AssumptionUpdateDto {
  @UuidRef({ description: 'The assumption or risk (stable id)' })
  assumptionId: string;
  @ApiProperty({
    enum: ASSUMPTION_STATUSES,
    description: 'Assumptions: holds, at_risk, no_longer_holds; risks: materialised, mitigated (or at_risk)',
  })
  @IsIn(ASSUMPTION_STATUSES as unknown as string[], {
    message: `status must be one of: ${ASSUMPTION_STATUSES.join(', ')}`,
  })
  status: string;
  @NullableText(4000) note?: string | null;
}

export class QuarterSubmitDto extends VersionDto {
  @NestedArray(
    () => OutcomeRatingDto,
    { max: 100, optional: true },
    {
      description:
        'Optional: saved over the draft before the checks (without it, submit takes what PUT .../narrative saved)',
    },
  )
  outcomeRatings?: OutcomeRatingDto[];
  @NestedArray(
    () => VarianceExplanationDto,
    { max: 500, optional: true },
    { description: 'Optional: saved over the draft before the checks' },
  )
  varianceExplanations?: VarianceExplanationDto[];
  @NestedArray(
    () => AssumptionUpdateDto,
    { max: 200, optional: true },
    { description: "This quarter's update of assumptions and risks" },
  )
  assumptionUpdates?: AssumptionUpdateDto[];
}

/** The four texts of a quarterly narrative; null or blank: not written. */
export class QuarterNarrativeDto {
  @NullableText(20000, {
    description: 'Progress summary: what the quarter achieved (donors read it first)',
    example: 'Courts in both pilot provinces now use the case management system.',
  })
  progressSummary?: string | null;
  @NullableText(20000, { description: 'Challenges met this quarter' })
  challenges?: string | null;
  @NullableText(20000, { description: 'Lessons learned' })
  lessonsLearned?: string | null;
  @NullableText(20000, { description: 'Plans for the next quarter' })
  nextQuarter?: string | null;
}

/**
 * A save of the quarter's story as a draft: each part given replaces that part wholly, a part left
 * out stays as saved. Editable while the quarter is draft or returned.
 */
export class QuarterStoryUpdateDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'The story version you read (0 before the first save); a stale version answers 409',
  })
  @IsInt({ message: 'version must be a whole number' })
  @Min(0, { message: 'version must be 0 or more' })
  version: number;
  @NestedArray(() => OutcomeRatingDto, { max: 100, optional: true })
  outcomeRatings?: OutcomeRatingDto[];
  @NestedArray(() => VarianceExplanationDto, { max: 500, optional: true })
  varianceExplanations?: VarianceExplanationDto[];
  @NestedArray(
    () => AssumptionUpdateDto,
    { max: 200, optional: true },
    { description: "This quarter's update of assumptions and risks" },
  )
  assumptionUpdates?: AssumptionUpdateDto[];
  @ApiProperty({ type: QuarterNarrativeDto, required: false })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuarterNarrativeDto)
  narrative?: QuarterNarrativeDto;
}

export class QuarterReturnDto extends VersionDto {
  @NonBlankText('comment must say why the quarter is returned', 4000)
  comment: string;
}

export class QuarterReopenDto extends VersionDto {
  @NonBlankText('reason must say why the quarter is reopened', 4000, {
    example: 'The ministry corrected the Q3 trainee count after an audit.',
  })
  reason: string;
}

export class QuarterRefDto {
  @ApiProperty({ type: 'integer', example: 2026 }) year: number;
  @ApiProperty({ type: 'integer', example: 3, minimum: 1, maximum: 4 }) quarter: number;
  @ApiProperty({ example: '2026-Q3' }) label: string;
  @ApiProperty({ format: 'date', example: '2026-07-01' }) start: string;
  @ApiProperty({ format: 'date', example: '2026-09-30' }) end: string;
}

export class RevisionStateDto {
  @ApiProperty({ type: 'integer', example: 1 }) number: number;
  @ApiProperty({ enum: ['draft', 'submitted', 'returned', 'approved', 'superseded'] }) status: string;
}

export class OutcomeRatingReadDto {
  @ApiProperty({ enum: OUTCOME_RATINGS }) rating: string;
  @ApiProperty() justification: string;
}

export class OutcomeProgressDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'OC1' }) code: string;
  @ApiProperty() statement: string;
  @ApiProperty({ type: OutcomeRatingReadDto, nullable: true }) rating: OutcomeRatingReadDto | null;
}

export class PeriodRefDto {
  @ApiProperty({ format: 'date' }) start: string;
  @ApiProperty({ format: 'date' }) end: string;
}

const NUMBER_OR_TEXT = {
  nullable: true,
  oneOf: [{ type: 'number' }, { type: 'string' }],
  description: 'A JSON number (percentages 0–100); qualitative indicators: the text',
};

export class LatestActualDto {
  @ApiProperty(NUMBER_OR_TEXT) value: number | string | null;
  @ApiProperty({ type: PeriodRefDto }) period: PeriodRefDto;
}

export class TargetDueDto {
  @ApiProperty(NUMBER_OR_TEXT) value: number | string | null;
  @ApiProperty({ format: 'date', description: 'End of the last period target due' }) by: string;
}

export class IndicatorProgressDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'OP1.1.1' }) code: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['impact', 'outcome', 'output'] }) level: string;
  @ApiProperty({ enum: ['number', 'percentage', 'ordinal', 'qualitative'] }) measure: string;
  @ApiProperty({ type: String, nullable: true }) unit: string | null;
  @ApiProperty({ enum: ['increase', 'decrease'] }) direction: string;
  @ApiProperty({ enum: ['sum', 'latest'] }) aggregation: string;
  @ApiProperty({ type: Number, nullable: true }) baseline: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) baselineYear: number | null;
  @ApiProperty(NUMBER_OR_TEXT) endTarget: number | string | null;
  @ApiProperty(NUMBER_OR_TEXT) targetToDate: number | string | null;
  @ApiProperty({ type: PeriodRefDto, nullable: true }) targetToDatePeriod: PeriodRefDto | null;
  @ApiProperty({ type: Number, nullable: true }) actualThisQuarter: number | null;
  @ApiProperty({ type: LatestActualDto, nullable: true }) latestActual: LatestActualDto | null;
  @ApiProperty(NUMBER_OR_TEXT) actualToDate: number | string | null;
  @ApiProperty({ type: PeriodRefDto, nullable: true }) evaluationPeriod: PeriodRefDto | null;
  @ApiProperty({ type: Number, nullable: true, description: '1 dp, 0–100+ scale' }) achievementPercent: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '1 dp' }) progressPercent: number | null;
  @ApiProperty({ example: 'on_track' }) status: string;
  @ApiProperty({ type: String, nullable: true }) statusNote: string | null;
  @ApiProperty({ type: [String] }) flags: string[];
  @ApiProperty({ type: [String] }) reviewFlags: string[];
  @ApiProperty({ type: String, nullable: true }) meansOfVerification: string | null;
  @ApiProperty({ type: String, nullable: true }) varianceExplanation: string | null;
  @ApiProperty() needsExplanation: boolean;
  @ApiProperty({
    type: TargetDueDto,
    nullable: true,
    required: false,
    description:
      'The target due by the as-of date (inclusive): sum (cumulative numbers) or latest of the period targets ended by then; null: no target due yet',
  })
  targetDue?: TargetDueDto | null;
  @ApiProperty({
    type: () => [DisaggregatedValueReadDto],
    required: false,
    description: 'Disaggregated values to date (reports; empty on the quarter read)',
  })
  disaggregations?: DisaggregatedValueReadDto[];
}

export class DisaggregatedValueReadDto {
  @ApiProperty() dimension: string;
  @ApiProperty() category: string;
  @ApiProperty({ type: Number, nullable: true }) value: number | null;
  @ApiProperty({ type: Number, nullable: true }) numerator: number | null;
  @ApiProperty({ type: Number, nullable: true }) denominator: number | null;
}

/** An actual as read: send `version` back with PUT .../actuals to change it. */
export class QuarterActualDto {
  @ApiProperty({ format: 'uuid', readOnly: true }) id: string;
  @ApiProperty({ format: 'uuid' }) indicatorId: string;
  @ApiProperty({ format: 'date' }) periodStart: string;
  @ApiProperty({ format: 'date' }) periodEnd: string;
  @ApiProperty({ type: Number, nullable: true }) value: number | null;
  @ApiProperty({ type: Number, nullable: true }) numerator: number | null;
  @ApiProperty({ type: Number, nullable: true }) denominator: number | null;
  @ApiProperty({ type: String, nullable: true }) text: string | null;
  @ApiProperty({ enum: MILESTONE_RATINGS, nullable: true }) rating: string | null;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ type: String, format: 'uri', nullable: true }) evidenceUrl: string | null;
  @ApiProperty({ type: [DisaggregatedValueReadDto] }) disaggregations: DisaggregatedValueReadDto[];
  @ApiProperty({ type: 'integer', description: 'Send it back with PUT .../actuals (409 when stale)' }) version: number;
  @ApiProperty({ enum: ['entered', 'imported'], readOnly: true }) provenance: string;
  @ApiProperty({
    type: () => PersonActingDto,
    nullable: true,
    readOnly: true,
    description: 'Who saved it, by display name and the role they acted in (null: imported)',
  })
  savedBy: PersonActingDto | null;
  @ApiProperty({ type: String, format: 'date-time', readOnly: true }) savedAt: string;
}

export class QuarterProgressDto {
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty({ type: QuarterRefDto }) quarter: QuarterRefDto;
  @ApiProperty({ enum: ['draft', 'submitted', 'validated', 'returned'] }) status: string;
  @ApiProperty({ type: 'integer', description: 'Send it back to submit, validate, return or reopen' }) version: number;
  @ApiProperty({ description: 'Reopened after validation at least once: later reports flag its figures as restated' })
  restated: boolean;
  @ApiProperty({ nullable: true, type: String }) reopenReason: string | null;
  @ApiProperty({
    type: () => PersonActingDto,
    nullable: true,
    description: 'Who submitted the quarter, by display name and the role they acted in',
  })
  submittedBy: PersonActingDto | null;
  @ApiProperty({
    type: () => PersonActingDto,
    nullable: true,
    description: 'Who validated the quarter, by display name and the role they acted in',
  })
  validatedBy: PersonActingDto | null;
  @ApiProperty({ type: RevisionStateDto }) revision: RevisionStateDto;
  @ApiProperty({ type: [OutcomeProgressDto], description: "Outcomes with the manager's rating and justification" })
  outcomes: OutcomeProgressDto[];
  @ApiProperty({ type: [IndicatorProgressDto] }) indicators: IndicatorProgressDto[];
  @ApiProperty({ type: [QuarterActualDto], description: 'Actuals whose period ends in the quarter, with versions' })
  actuals: QuarterActualDto[];
}

export class StoryOutcomeRatingDto {
  @ApiProperty({ format: 'uuid' }) outcomeId: string;
  @ApiProperty({ example: 'OC1' }) outcomeCode: string;
  @ApiProperty({ enum: OUTCOME_RATINGS }) rating: string;
  @ApiProperty() justification: string;
}

export class StoryVarianceExplanationDto {
  @ApiProperty({ format: 'uuid' }) indicatorId: string;
  @ApiProperty({ example: 'OC1.1' }) indicatorCode: string;
  @ApiProperty() explanation: string;
}

export class StoryAssumptionUpdateDto {
  @ApiProperty({ format: 'uuid' }) assumptionId: string;
  @ApiProperty({ enum: ASSUMPTION_STATUSES }) status: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
}

export class QuarterNarrativeReadDto {
  @ApiProperty({ type: String, nullable: true }) progressSummary: string | null;
  @ApiProperty({ type: String, nullable: true }) challenges: string | null;
  @ApiProperty({ type: String, nullable: true }) lessonsLearned: string | null;
  @ApiProperty({ type: String, nullable: true }) nextQuarter: string | null;
}

export class PersonActingDto {
  @ApiProperty({ example: 'Amina Diallo' }) displayName: string;
  @ApiProperty({ example: 'project_manager', description: 'The role the person acted in' }) role: string;
}

/** The quarter's story as saved (GET/PUT .../narrative). */
export class QuarterStoryDto {
  @ApiProperty({ format: 'uuid' }) projectId: string;
  @ApiProperty({ type: QuarterRefDto }) quarter: QuarterRefDto;
  @ApiProperty({ enum: ['draft', 'submitted', 'validated', 'returned'] }) status: string;
  @ApiProperty({ type: 'integer', description: "The quarter's version (send it to submit)" }) quarterVersion: number;
  @ApiProperty({
    type: 'integer',
    description: "The story's version: send it back to save again (0 before the first save)",
  })
  version: number;
  @ApiProperty({ type: [StoryOutcomeRatingDto] }) outcomeRatings: StoryOutcomeRatingDto[];
  @ApiProperty({ type: [StoryVarianceExplanationDto] }) varianceExplanations: StoryVarianceExplanationDto[];
  @ApiProperty({ type: [StoryAssumptionUpdateDto] }) assumptionUpdates: StoryAssumptionUpdateDto[];
  @ApiProperty({ type: QuarterNarrativeReadDto }) narrative: QuarterNarrativeReadDto;
  @ApiProperty({ type: PersonActingDto, nullable: true, readOnly: true }) savedBy: PersonActingDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, readOnly: true }) savedAt: string | null;
}
