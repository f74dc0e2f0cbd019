import type { Decimal } from 'decimal.js';
import { CalcDecimal, isDecimalString, parseDecimal, toPlainString } from './decimal.js';
import {
  addDays,
  addMonthsKeepingMonthEnd,
  assertValidDate,
  assertValidRange,
  isValidRange,
  isAfter,
  type CalendarDate,
  type DateRange,
} from './reporting-period.js';
import {
  AGGREGATIONS,
  COLLECTION_FREQUENCIES,
  DIRECTIONS,
  MEASURES,
  MILESTONE_RATINGS,
  type Aggregation,
  type CollectionFrequency,
  type Direction,
  type IndicatorStatus,
  type Measure,
  type MilestoneRating,
} from './vocabulary.js';
import { DEFAULT_THRESHOLDS, statusFromAchievement, validateThresholds, type Thresholds } from './thresholds.js';

/**
 * Achievement, progress and status of one indicator at an as-of date (DESIGN.md §5).
 *
 * Summary of the rules implemented here:
 * - Only periods whose end is on or before the as-of date count; later ones are ignored entirely.
 *   The evaluation date is the end of the latest reported period; actual and target to date are
 *   both taken at that date, so late data is never judged against a later milestone.
 * - `sum`: actual to date = Σ period actuals, target to date = Σ period targets ended by the
 *   evaluation date, b = 0. `latest`: the latest actual and the latest period target ended by
 *   then, b = baseline (required). Ordinal indicators are always `latest`.
 * - Percentages (0-100) keep numerator and denominator: `sum` pools them (100·Σnum/Σden),
 *   `latest` takes the latest pair; their target to date is always the latest period target
 *   ended (never added). A percentage series with a period lacking numerator/denominator cannot
 *   be pooled and is evaluated as a `latest` level (flag `percentage_not_poolable`).
 * - achievement = 100·(actual − b)/(target_to_date − b); progress = 100·(actual − b)/(end − b).
 *   For a `decrease` indicator both denominators are negative (the target lies below b), so a
 *   fall towards the target gives a positive ratio: baseline 30, target 10, actual 15 →
 *   (15 − 30)/(10 − 30) = 75 %; an actual above the baseline gives a negative ratio (off_track).
 *   No special case for direction is needed.
 * - target_to_date = b: no ratio; on_track when the actual meets it in the indicator's direction
 *   (≥ for increase, ≤ for decrease), else off_track.
 * - `decrease` on `sum` (number or percentage): not assessable, flagged.
 */

/**
 * One period's target or actual. Dates are `'YYYY-MM-DD'`, inclusive, `periodStart <= periodEnd`.
 * Decimal values are strings (never JS numbers) or null.
 */
export interface PeriodValue {
  periodStart: string;
  periodEnd: string;
  /**
   * number: the value; percentage: a level on a 0-100 scale (used only without
   * numerator/denominator); ordinal: the scale value; qualitative: descriptive text.
   */
  value?: string | null;
  /** Percentage: numerator; the percent is 100·numerator/denominator. */
  numerator?: string | null;
  /** Percentage: denominator. */
  denominator?: string | null;
  /** Qualitative actuals: the milestone rating. */
  rating?: MilestoneRating | null;
}

/** An indicator's definition and series, as needed by `evaluateIndicator`. */
export interface IndicatorSeriesInput {
  measure: Measure;
  direction: Direction;
  aggregation: Aggregation;
  /** Decimal string (percentages 0-100), or null when not available; free text for qualitative. */
  baseline: string | null;
  /** End-of-project target: decimal string (percentages 0-100); free text for qualitative. */
  endTarget: string | null;
  /** Period targets (milestones): `value`, or `numerator`/`denominator` for percentages. */
  periodTargets: PeriodValue[];
  /** Period actuals: `value`; `numerator` + `denominator` (percentage); `rating` (qualitative). */
  actuals: PeriodValue[];
  /** Collection frequency, for the `overdue` flag; null is treated as quarterly. */
  collectionFrequency: CollectionFrequency | null;
}

/** Options of `evaluateIndicator`. */
export interface EvaluationOptions {
  /** Reporting grace period in days after a collection interval, for `overdue` (default 30). */
  graceDays?: number;
}

/** Default reporting grace period (days) used by the `overdue` flag. */
export const DEFAULT_GRACE_DAYS = 30;

/** Months in one collection interval; `end_of_project` data is never overdue. */
export const COLLECTION_INTERVAL_MONTHS: Readonly<Record<CollectionFrequency, number | null>> = Object.freeze({
  quarterly: 3,
  semi_annual: 6,
  annual: 12,
  end_of_project: null,
});

/**
 * Flags raised by an evaluation, always listed in this order:
 * - `overdue`: as-of date later than the last reported period end + one collection interval
 *   (month ends stay month ends) + the grace days;
 * - `decrease_on_sum`: a `decrease` indicator aggregated by `sum` (not assessable);
 * - `aggregation_overridden`: an ordinal indicator declared `sum`, evaluated as `latest`;
 * - `percentage_not_poolable`: a `sum` percentage with a reported period lacking numerator and
 *   denominator, evaluated as a `latest` level;
 * - `zero_denominator`: a reported percentage actual (or the pooled total) has denominator 0;
 * - `target_zero_denominator`: a percentage period target has denominator 0 (that target is ignored);
 * - `incomplete_fraction`: a percentage row with only one of numerator/denominator and no value
 *   (the row is ignored);
 * - `overlapping_periods`: reported actual periods used overlap (a `sum` may double count);
 * - `overlapping_target_periods`: period targets used overlap;
 * - `target_equals_baseline`: target to date = b, status decided by direction (no ratio);
 * - `target_not_beyond_baseline`: target to date lies on the wrong side of b for the direction;
 * - `end_target_equals_baseline`: end target = b, no progress ratio;
 * - `end_target_not_beyond_baseline`: end target on the wrong side of b for the direction.
 */
export type EvaluationFlag =
  | 'overdue'
  | 'decrease_on_sum'
  | 'aggregation_overridden'
  | 'percentage_not_poolable'
  | 'zero_denominator'
  | 'target_zero_denominator'
  | 'incomplete_fraction'
  | 'overlapping_periods'
  | 'overlapping_target_periods'
  | 'target_equals_baseline'
  | 'target_not_beyond_baseline'
  | 'end_target_equals_baseline'
  | 'end_target_not_beyond_baseline';

/** Every flag, in the order flags are reported. */
export const EVALUATION_FLAGS: readonly EvaluationFlag[] = Object.freeze([
  'overdue',
  'decrease_on_sum',
  'aggregation_overridden',
  'percentage_not_poolable',
  'zero_denominator',
  'target_zero_denominator',
  'incomplete_fraction',
  'overlapping_periods',
  'overlapping_target_periods',
  'target_equals_baseline',
  'target_not_beyond_baseline',
  'end_target_equals_baseline',
  'end_target_not_beyond_baseline',
] as const);

/** Why an indicator with data is `not_assessable`. */
export type NotAssessableReason =
  'decrease_on_sum' | 'missing_baseline' | 'zero_denominator' | 'no_target_to_date' | 'missing_rating';

/** A sentence per `NotAssessableReason`, for reports. */
export const NOT_ASSESSABLE_REASON_TEXT: Readonly<Record<NotAssessableReason, string>> = Object.freeze({
  decrease_on_sum: 'A decrease indicator cannot be aggregated by sum.',
  missing_baseline: 'A latest-value indicator needs a baseline.',
  zero_denominator: 'The percentage to date has a denominator of 0.',
  no_target_to_date: 'No period target has ended by the evaluation date.',
  missing_rating: 'The latest qualitative report has no milestone rating.',
});

/** A numerator/denominator pair (decimal strings); the percent is 100·numerator/denominator. */
export interface Fraction {
  numerator: string;
  denominator: string;
}

/** The latest reported period used by an evaluation. */
export interface LatestActual {
  /**
   * The period's value as a normalised decimal string (percentage: 100·num/den, or the level;
   * null when the denominator is 0); qualitative: the text given, or null.
   */
  value: string | null;
  /** Percentage with numerator/denominator: the pair; otherwise absent. */
  fraction?: Fraction;
  /** Qualitative: the milestone rating (null when none); otherwise absent. */
  rating?: MilestoneRating | null;
  periodStart: CalendarDate;
  periodEnd: CalendarDate;
}

/**
 * The result of `evaluateIndicator`. Decimal figures are exact, normalised decimal strings
 * (no exponent, no trailing zeros); percents are on a 0-100 scale and not rounded (see
 * `roundPercent`). Qualitative indicators carry text in `actualToDate`, `targetToDate` and
 * `endTarget`.
 */
export interface IndicatorEvaluation {
  /** The latest reported period on or before the as-of date (its end is the evaluation date); null with no data. */
  evaluationPeriod: DateRange | null;
  latestActual: LatestActual | null;
  /** Actual to date: the sum (`sum`), pooled percent (`sum` percentage) or latest value (`latest`). */
  actualToDate: string | null;
  /** For percentages with numerator/denominator: the pooled (or latest) pair behind `actualToDate`. */
  actualToDateFraction: Fraction | null;
  /** Target to date at the evaluation date; null when no period target has ended by then. */
  targetToDate: string | null;
  /** Percentages: the numerator/denominator of the target to date when its period target has them; else null. */
  targetToDateFraction: Fraction | null;
  /** The period(s) the target to date covers: first start to last end of the targets used. */
  targetToDatePeriod: DateRange | null;
  endTarget: string | null;
  /** b of the formulas: the baseline for `latest`, '0' for `sum`; null when none applies. */
  baselineUsed: string | null;
  /** The aggregation actually applied (ordinal and unpoolable percentages become `latest`). */
  aggregationUsed: Aggregation;
  /** 100·(actual − b)/(target_to_date − b), exact; null when there is no ratio. */
  achievementPercent: string | null;
  /** 100·(actual − b)/(end_target − b), exact; null when there is no ratio. */
  progressPercent: string | null;
  status: IndicatorStatus;
  flags: EvaluationFlag[];
  /** Present only when `status` is `not_assessable`. */
  notAssessableReason?: NotAssessableReason;
  /** Version of the thresholds applied. */
  thresholdsVersion: number;
}

const HUNDRED = new CalcDecimal(100);

/** A period value read for a quantitative measure. */
interface Observation {
  start: CalendarDate;
  end: CalendarDate;
  /** The value (percent 0-100 for percentages); null when its denominator is 0. */
  value: Decimal | null;
  /** Percentage numerator/denominator, when given. */
  numerator?: Decimal;
  denominator?: Decimal;
  /** A percentage row with only one of numerator/denominator and no value: unusable. */
  incomplete?: boolean;
}

/**
 * Evaluates one indicator at an as-of date: actual and target to date, achievement, progress to
 * the end target, status and flags, following DESIGN.md §5 (summarised at the top of this file).
 *
 * Status precedence: `no_data` when nothing is reported on or before `asOf`; else
 * `not_assessable` (with `notAssessableReason`) for a `decrease` on `sum`, a `latest` indicator
 * without baseline, a percentage to date with denominator 0, a qualitative report without
 * rating, or no period target ended by the evaluation date; else the status band of the
 * achievement (or, when the target to date equals b, met/not met by direction); qualitative:
 * achieved → on_track, partly_achieved → at_risk, not_achieved → off_track.
 *
 * Never returns NaN or Infinity and never divides by zero: every missing or degenerate input
 * gives a defined result (a null ratio, a status and a flag).
 *
 * @param input the indicator's definition and series (see `IndicatorSeriesInput`)
 * @param asOf the report's as-of date `'YYYY-MM-DD'` (normally its quarter's last day)
 * @param thresholds status bands, percents 0-100 (default `DEFAULT_THRESHOLDS`: 50/85/115)
 * @param options `graceDays` for the `overdue` flag (default 30)
 * @returns the evaluation; percents are exact decimal strings on a 0-100 scale
 * @throws Error on malformed input: an invalid date or period (start after end), a value that is
 *   not a decimal string (quantitative measures), an unknown measure/direction/aggregation/
 *   frequency/rating, invalid thresholds or a negative/non-integer `graceDays`
 */
export function evaluateIndicator(
  input: IndicatorSeriesInput,
  asOf: string,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
  options: EvaluationOptions = {},
): IndicatorEvaluation {
  assertValidDate(asOf, 'asOf');
  validateThresholds(thresholds);
  const graceDays = options.graceDays ?? DEFAULT_GRACE_DAYS;
  if (!Number.isSafeInteger(graceDays) || graceDays < 0) {
    throw new Error(`Invalid graceDays ${String(graceDays)}: expected a non-negative integer`);
  }
  validateInput(input);
  const context: Context = { input, asOf, thresholds, graceDays, flags: new Set<EvaluationFlag>() };
  return input.measure === 'qualitative' ? evaluateQualitative(context) : evaluateQuantitative(context);
}

interface Context {
  input: IndicatorSeriesInput;
  asOf: CalendarDate;
  thresholds: Thresholds;
  graceDays: number;
  flags: Set<EvaluationFlag>;
}

function evaluateQuantitative(context: Context): IndicatorEvaluation {
  const { input, asOf, flags } = context;
  const isPercentage = input.measure === 'percentage';
  const baseline = input.baseline === null ? null : parseDecimal(input.baseline, 'baseline');
  const endTarget = input.endTarget === null ? null : parseDecimal(input.endTarget, 'endTarget');

  // Every row is parsed (malformed input always throws); only rows in scope raise flags.
  const actualRows = input.actuals.map((row) => readObservation(row, input.measure, 'actual'));
  const targetRows = input.periodTargets.map((row) => readObservation(row, input.measure, 'target'));
  // Row dates and asOf were validated (validateInput, evaluateIndicator): valid dates compare as strings.
  const actualsInScope = actualRows.filter((obs): obs is Observation => obs !== null && obs.end <= asOf);
  if (actualsInScope.some((obs) => obs.incomplete)) flags.add('incomplete_fraction');
  const reported = sortByPeriod(actualsInScope.filter((obs) => !obs.incomplete));

  let aggregation: Aggregation = input.aggregation;
  if (input.measure === 'ordinal' && aggregation === 'sum') {
    aggregation = 'latest';
    flags.add('aggregation_overridden');
  }
  if (isPercentage && aggregation === 'sum' && reported.some((obs) => obs.denominator === undefined)) {
    aggregation = 'latest';
    flags.add('percentage_not_poolable');
  }
  // Judged on the declared aggregation (ordinal excepted: it is always `latest`).
  const decreaseOnSum = input.direction === 'decrease' && input.aggregation === 'sum' && input.measure !== 'ordinal';
  if (decreaseOnSum) flags.add('decrease_on_sum');
  const b: Decimal | null = decreaseOnSum ? null : aggregation === 'sum' ? new CalcDecimal(0) : baseline;

  const base = {
    endTarget: endTarget === null ? null : toPlainString(endTarget),
    baselineUsed: b === null ? null : toPlainString(b),
    aggregationUsed: aggregation,
    thresholdsVersion: context.thresholds.version,
  };

  const latest = reported.at(-1);
  if (latest === undefined) return noDataEvaluation(base, flags);
  const evaluationDate = latest.end;
  if (hasOverlap(reported)) flags.add('overlapping_periods');
  if (isOverdue(context, evaluationDate)) flags.add('overdue');

  const { actual, actualFraction } = actualToDate(reported, latest, aggregation, isPercentage);
  if (actual === null || reported.some((obs) => obs.denominator?.isZero())) flags.add('zero_denominator');
  const { target, targetFraction, targetPeriod } = targetToDate(
    targetRows,
    evaluationDate,
    aggregation,
    isPercentage,
    flags,
  );
  consistencyFlags(b, target, endTarget, input.direction, flags);

  const progress = b !== null && actual !== null && endTarget !== null ? ratioPercent(actual, b, endTarget) : null;
  const achievement = b !== null && actual !== null && target !== null ? ratioPercent(actual, b, target) : null;
  const { status, reason } = quantitativeStatus(context, { decreaseOnSum, b, actual, target, achievement });

  return {
    ...base,
    evaluationPeriod: { start: latest.start, end: latest.end },
    latestActual: {
      value: latest.value === null ? null : toPlainString(latest.value),
      ...(latest.numerator !== undefined && latest.denominator !== undefined
        ? { fraction: { numerator: toPlainString(latest.numerator), denominator: toPlainString(latest.denominator) } }
        : {}),
      periodStart: latest.start,
      periodEnd: latest.end,
    },
    actualToDate: actual === null ? null : toPlainString(actual),
    actualToDateFraction:
      actualFraction === null
        ? null
        : {
            numerator: toPlainString(actualFraction.numerator),
            denominator: toPlainString(actualFraction.denominator),
          },
    targetToDate: target === null ? null : toPlainString(target),
    targetToDateFraction: isPercentage ? targetFraction : null,
    targetToDatePeriod: targetPeriod,
    achievementPercent: achievement === null ? null : toPlainString(achievement),
    progressPercent: progress === null ? null : toPlainString(progress),
    status,
    flags: orderedFlags(flags),
    ...(reason === undefined ? {} : { notAssessableReason: reason }),
  };
}

/**
 * The evaluation of an indicator with nothing reported up to the as-of date: `no_data`, every figure
 * null but what `base` gives (end target, baseline used, aggregation used, thresholds version).
 */
function noDataEvaluation(
  base: Pick<IndicatorEvaluation, 'endTarget' | 'baselineUsed' | 'aggregationUsed' | 'thresholdsVersion'>,
  flags: Set<EvaluationFlag>,
): IndicatorEvaluation {
  return {
    ...base,
    evaluationPeriod: null,
    latestActual: null,
    actualToDate: null,
    actualToDateFraction: null,
    targetToDate: null,
    targetToDateFraction: null,
    targetToDatePeriod: null,
    achievementPercent: null,
    progressPercent: null,
    status: 'no_data',
    flags: orderedFlags(flags),
  };
}

/** Actual to date: the sum of the reported values (pooled numerators and denominators for percentages), or the latest. */
function actualToDate(
  reported: Observation[],
  latest: Observation,
  aggregation: Aggregation,
  isPercentage: boolean,
): { actual: Decimal | null; actualFraction: { numerator: Decimal; denominator: Decimal } | null } {
  if (aggregation === 'sum' && isPercentage) {
    const numerator = sumOf(reported.map((obs) => obs.numerator as Decimal));
    const denominator = sumOf(reported.map((obs) => obs.denominator as Decimal));
    return { actual: percentOf(numerator, denominator), actualFraction: { numerator, denominator } };
  }
  if (aggregation === 'sum')
    return { actual: sumOf(reported.map((obs) => obs.value as Decimal)), actualFraction: null };
  const actualFraction =
    latest.numerator !== undefined && latest.denominator !== undefined
      ? { numerator: latest.numerator, denominator: latest.denominator }
      : null;
  return { actual: latest.value, actualFraction };
}

/**
 * Target to date at the evaluation date: the sum of the period targets ended by then (number `sum`
 * indicators), else the last of them; with its period and, for percentages, its fraction.
 */
function targetToDate(
  targetRows: (Observation | null)[],
  evaluationDate: CalendarDate,
  aggregation: Aggregation,
  isPercentage: boolean,
  flags: Set<EvaluationFlag>,
): { target: Decimal | null; targetFraction: Fraction | null; targetPeriod: DateRange | null } {
  // Validated dates (validateInput) compare as strings.
  const targetsInScope = targetRows.filter((obs): obs is Observation => obs !== null && obs.end <= evaluationDate);
  if (targetsInScope.some((obs) => obs.incomplete)) flags.add('incomplete_fraction');
  if (targetsInScope.some((obs) => obs.denominator?.isZero())) flags.add('target_zero_denominator');
  const targetsByThen = sortByPeriod(targetsInScope.filter((obs) => obs.value !== null));
  if (targetsByThen.length === 0) return { target: null, targetFraction: null, targetPeriod: null };
  if (aggregation === 'sum' && !isPercentage) {
    if (hasOverlap(targetsByThen)) flags.add('overlapping_target_periods');
    return {
      target: sumOf(targetsByThen.map((obs) => obs.value as Decimal)),
      targetFraction: null,
      targetPeriod: {
        start: targetsByThen.map((obs) => obs.start).reduce((a, c) => (c < a ? c : a)),
        end: targetsByThen.map((obs) => obs.end).reduce((a, c) => (c > a ? c : a)),
      },
    };
  }
  const lastTarget = targetsByThen[targetsByThen.length - 1];
  return {
    target: lastTarget.value,
    targetPeriod: { start: lastTarget.start, end: lastTarget.end },
    targetFraction:
      lastTarget.numerator !== undefined && lastTarget.denominator !== undefined
        ? { numerator: toPlainString(lastTarget.numerator), denominator: toPlainString(lastTarget.denominator) }
        : null,
  };
}

/** Consistency of the targets with b and the direction (informational flags). */
function consistencyFlags(
  b: Decimal | null,
  target: Decimal | null,
  endTarget: Decimal | null,
  direction: Direction,
  flags: Set<EvaluationFlag>,
): void {
  if (b !== null && target !== null) {
    const side = directionalSign(target.minus(b), direction);
    if (side === 0) flags.add('target_equals_baseline');
    if (side < 0) flags.add('target_not_beyond_baseline');
  }
  if (b !== null && endTarget !== null) {
    const side = directionalSign(endTarget.minus(b), direction);
    if (side === 0) flags.add('end_target_equals_baseline');
    if (side < 0) flags.add('end_target_not_beyond_baseline');
  }
}

/** The status of a quantitative indicator with data, and why it is not assessable when it is not. */
function quantitativeStatus(
  context: Context,
  f: {
    decreaseOnSum: boolean;
    b: Decimal | null;
    actual: Decimal | null;
    target: Decimal | null;
    achievement: Decimal | null;
  },
): { status: IndicatorStatus; reason?: NotAssessableReason } {
  if (f.decreaseOnSum) return { status: 'not_assessable', reason: 'decrease_on_sum' };
  if (f.b === null) return { status: 'not_assessable', reason: 'missing_baseline' };
  if (f.actual === null) return { status: 'not_assessable', reason: 'zero_denominator' };
  if (f.target === null) return { status: 'not_assessable', reason: 'no_target_to_date' };
  if (f.achievement === null) {
    // Target to date equals b: no ratio; met or not by the direction.
    const met =
      context.input.direction === 'increase'
        ? f.actual.greaterThanOrEqualTo(f.target)
        : f.actual.lessThanOrEqualTo(f.target);
    return { status: met ? 'on_track' : 'off_track' };
  }
  return { status: statusFromAchievement(toPlainString(f.achievement), context.thresholds) };
}

function evaluateQualitative(context: Context): IndicatorEvaluation {
  const { input, asOf, flags } = context;
  const hasText = (text: string | null | undefined): text is string => typeof text === 'string' && text.trim() !== '';
  const reported = sortByPeriod(
    input.actuals
      .filter((row) => (row.rating ?? null) !== null || hasText(row.value))
      .map((row) => ({ start: row.periodStart, end: row.periodEnd, row }))
      .filter((obs) => obs.end <= asOf), // validated dates (validateInput) compare as strings
  );
  const base = {
    endTarget: input.endTarget,
    baselineUsed: null,
    aggregationUsed: 'latest' as const,
    achievementPercent: null,
    progressPercent: null,
    actualToDateFraction: null,
    targetToDateFraction: null,
    thresholdsVersion: context.thresholds.version,
  };
  const latest = reported.at(-1);
  if (latest === undefined) return noDataEvaluation(base, flags);
  const evaluationDate = latest.end;
  if (hasOverlap(reported)) flags.add('overlapping_periods');
  if (isOverdue(context, evaluationDate)) flags.add('overdue');
  const lastTarget = sortByPeriod(
    input.periodTargets
      .filter((row) => hasText(row.value) && row.periodEnd <= evaluationDate)
      .map((row) => ({ start: row.periodStart, end: row.periodEnd, text: row.value as string })),
  ).at(-1);
  const rating = latest.row.rating ?? null;
  const status: IndicatorStatus =
    rating === 'achieved'
      ? 'on_track'
      : rating === 'partly_achieved'
        ? 'at_risk'
        : rating === 'not_achieved'
          ? 'off_track'
          : 'not_assessable';
  const text = hasText(latest.row.value) ? latest.row.value : null;
  return {
    ...base,
    evaluationPeriod: { start: latest.start, end: latest.end },
    latestActual: { value: text, rating, periodStart: latest.start, periodEnd: latest.end },
    actualToDate: text,
    targetToDate: lastTarget?.text ?? null,
    targetToDatePeriod: lastTarget ? { start: lastTarget.start, end: lastTarget.end } : null,
    status,
    flags: orderedFlags(flags),
    ...(status === 'not_assessable' ? { notAssessableReason: 'missing_rating' as const } : {}),
  };
}

/**
 * Reads (and validates) a quantitative period row. Returns null for an empty row, and an
 * `incomplete` observation for a percentage with only one of numerator/denominator and no value.
 */
function readObservation(row: PeriodValue, measure: Measure, kind: 'actual' | 'target'): Observation | null {
  const value = row.value ?? null;
  const numerator = measure === 'percentage' ? (row.numerator ?? null) : null;
  const denominator = measure === 'percentage' ? (row.denominator ?? null) : null;
  if (numerator !== null && denominator !== null) {
    const num = readDecimal(numerator, row, kind, 'numerator');
    const den = readDecimal(denominator, row, kind, 'denominator');
    if (value !== null && !isDecimalString(value)) readDecimal(value, row, kind, 'value'); // throws
    // 100·num/den is a division: computed when first read (most rows only count through num and den).
    let percent: Decimal | null | undefined;
    return {
      start: row.periodStart,
      end: row.periodEnd,
      get value() {
        if (percent === undefined) percent = percentOf(num, den);
        return percent;
      },
      numerator: num,
      denominator: den,
    };
  }
  if (value !== null) {
    return { start: row.periodStart, end: row.periodEnd, value: readDecimal(value, row, kind, 'value') };
  }
  if (numerator !== null || denominator !== null) {
    const part = numerator !== null ? 'numerator' : 'denominator';
    readDecimal((numerator ?? denominator) as string, row, kind, part);
    return { start: row.periodStart, end: row.periodEnd, value: null, incomplete: true };
  }
  return null;
}

/**
 * A decimal of a period row (see `parseDecimal`); the error names the row (`actual 2026-01-01..2026-03-31
 * value`), a label built only when the text is not a decimal.
 */
function readDecimal(text: string, row: PeriodValue, kind: 'actual' | 'target', part: string): Decimal {
  return isDecimalString(text)
    ? new CalcDecimal(text)
    : parseDecimal(text, `${kind} ${row.periodStart}..${row.periodEnd} ${part}`);
}

/** 100·numerator/denominator, or null when the denominator is 0. */
function percentOf(numerator: Decimal, denominator: Decimal): Decimal | null {
  return denominator.isZero() ? null : numerator.times(HUNDRED).dividedBy(denominator);
}

/** 100·(actual − b)/(reference − b), or null when reference = b. */
function ratioPercent(actual: Decimal, b: Decimal, reference: Decimal): Decimal | null {
  const span = reference.minus(b);
  return span.isZero() ? null : actual.minus(b).times(HUNDRED).dividedBy(span);
}

/** +1 when `delta` points in the indicator's good direction, -1 against it, 0 when zero. */
function directionalSign(delta: Decimal, direction: Direction): number {
  const sign = delta.isZero() ? 0 : delta.isPositive() ? 1 : -1;
  return direction === 'increase' ? sign : -sign;
}

function sumOf(values: Decimal[]): Decimal {
  return values.reduce((total, value) => total.plus(value), new CalcDecimal(0));
}

/** Sorts by period end, then start (so among equal ends the shortest, latest-starting period is last). */
function sortByPeriod<T extends { start: CalendarDate; end: CalendarDate }>(items: T[]): T[] {
  return [...items].sort((a, b) =>
    a.end < b.end ? -1 : a.end > b.end ? 1 : a.start < b.start ? -1 : a.start > b.start ? 1 : 0,
  );
}

/** Whether any two periods of a list sorted by `sortByPeriod` share a day. */
function hasOverlap(sorted: { start: CalendarDate; end: CalendarDate }[]): boolean {
  return sorted.some((item, index) => index > 0 && item.start <= sorted[index - 1].end);
}

function isOverdue(context: Context, lastReportedEnd: CalendarDate): boolean {
  return isIndicatorOverdue(lastReportedEnd, context.input.collectionFrequency, context.asOf, context.graceDays);
}

/**
 * The `overdue` rule on its own (the flag `evaluateIndicator` raises): data reported up to
 * `lastReportedEnd` is overdue on `asOf` when `asOf` is later than that date plus one collection
 * interval (month ends stay month ends) plus `graceDays`; `end_of_project` data is never overdue.
 *
 * @example isIndicatorOverdue('2026-03-31', 'quarterly', '2026-08-01', 30) // true (due by 2026-07-30)
 * @param frequency collection frequency; null is treated as quarterly
 * @param graceDays reporting grace period in days (default 30)
 * @throws Error when a date is not a valid `'YYYY-MM-DD'` date
 */
export function isIndicatorOverdue(
  lastReportedEnd: CalendarDate,
  frequency: CollectionFrequency | null,
  asOf: CalendarDate,
  graceDays: number = DEFAULT_GRACE_DAYS,
): boolean {
  const months = COLLECTION_INTERVAL_MONTHS[frequency ?? 'quarterly'];
  if (months === null) return false;
  const dueBy = addDays(addMonthsKeepingMonthEnd(lastReportedEnd, months), graceDays);
  return isAfter(asOf, dueBy);
}

function orderedFlags(flags: Set<EvaluationFlag>): EvaluationFlag[] {
  return EVALUATION_FLAGS.filter((flag) => flags.has(flag));
}

function validateInput(input: IndicatorSeriesInput): void {
  if (!input || typeof input !== 'object') throw new Error('Invalid indicator input: expected an object');
  assertOneOf(input.measure, MEASURES, 'measure');
  assertOneOf(input.direction, DIRECTIONS, 'direction');
  assertOneOf(input.aggregation, AGGREGATIONS, 'aggregation');
  if (input.collectionFrequency !== null)
    assertOneOf(input.collectionFrequency, COLLECTION_FREQUENCIES, 'collectionFrequency');
  if (!Array.isArray(input.actuals)) throw new Error('Invalid indicator input: actuals must be an array');
  if (!Array.isArray(input.periodTargets)) throw new Error('Invalid indicator input: periodTargets must be an array');
  for (const [kind, rows] of [
    ['actual', input.actuals],
    ['period target', input.periodTargets],
  ] as const) {
    rows.forEach((row, index) => {
      // The label is built only for a row that fails (assertValidRange then throws with it).
      if (!isValidRange(row.periodStart, row.periodEnd))
        assertValidRange({ start: row.periodStart, end: row.periodEnd }, `${kind} #${index + 1} period`);
      const rating = row.rating ?? null;
      if (rating !== null) assertOneOf(rating, MILESTONE_RATINGS, `${kind} #${index + 1} rating`);
    });
  }
}

function assertOneOf<T extends string>(value: unknown, allowed: readonly T[], label: string): asserts value is T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new Error(`Invalid ${label} ${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`);
  }
}
