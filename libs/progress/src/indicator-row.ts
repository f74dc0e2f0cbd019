import type { ActualEntity, IndicatorEntity } from '#libs/database';
import type { IndicatorNode } from '#libs/logframe';
import {
  CalcDecimal,
  evaluateIndicator,
  type IndicatorEvaluation,
  type IndicatorSeriesInput,
  type IndicatorStatus,
  isWithinRange,
  NOT_ASSESSABLE_REASON_TEXT,
  roundPercent,
  type Thresholds,
  toPlainString,
} from '#libs/calculations';

/**
 * One indicator evaluated at a date (DESIGN.md §5) as a line of the quarter's progress and of the
 * quarterly report (DESIGN.md §6). Progress owns it (it reads actuals); reporting builds its
 * sections from these rows.
 */

/** A decimal string as a JSON number at the API edge (null stays null). */
export function toJsonNumber(value: string | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** A period a value covers, as calendar dates. */
export interface PeriodDto {
  start: string;
  end: string;
}

/**
 * One indicator's line in a quarterly report (DESIGN.md §6). Values are JSON numbers in the
 * indicator's unit (percentages on a 0–100 scale); `achievementPercent` and `progressPercent`
 * are percents rounded to 1 dp for presentation (computed exactly before rounding).
 */
export interface ReportIndicatorRow {
  id: string;
  code: string;
  title: string;
  level: 'impact' | 'outcome' | 'output';
  measure: string;
  unit: string | null;
  direction: string;
  aggregation: string;
  baseline: number | null;
  baselineYear: number | null;
  endTarget: number | string | null;
  targetToDate: number | string | null;
  targetToDatePeriod: PeriodDto | null;
  /** Sum (sum) or latest value (latest) of the actuals whose period ends in the report's quarter. */
  actualThisQuarter: number | null;
  latestActual: { value: number | string | null; period: PeriodDto } | null;
  actualToDate: number | string | null;
  evaluationPeriod: PeriodDto | null;
  achievementPercent: number | null;
  progressPercent: number | null;
  status: IndicatorStatus;
  statusNote: string | null;
  flags: string[];
  reviewFlags: string[];
  meansOfVerification: string | null;
  /** The manager's explanation of variance for this quarter (at risk / off track). */
  varianceExplanation?: string | null;
}

function seriesInput(node: IndicatorNode, actuals: ActualEntity[]): IndicatorSeriesInput {
  const i = node.indicator;
  const qualitative = i.measure === 'qualitative';
  return {
    measure: i.measure,
    direction: i.direction,
    aggregation: i.aggregation,
    baseline: qualitative ? i.baselineComment : i.baselineValue,
    endTarget: qualitative ? i.endTargetDescription : i.endTargetValue,
    periodTargets: node.periodTargets.map((t) => ({
      periodStart: t.periodStart,
      periodEnd: t.periodEnd,
      value: qualitative ? t.description : t.value,
      numerator: t.numerator,
      denominator: t.denominator,
    })),
    actuals: actuals.map((a) => ({
      periodStart: a.periodStart,
      periodEnd: a.periodEnd,
      value: qualitative ? a.text : a.value,
      numerator: a.numerator,
      denominator: a.denominator,
      rating: a.rating,
    })),
    collectionFrequency: i.collectionFrequency,
  };
}

const edge = (indicator: IndicatorEntity, value: string | null): number | string | null =>
  indicator.measure === 'qualitative' ? value : toJsonNumber(value);

/** This quarter's actual: the sum (sum) or the latest (latest) of values whose period ends in the quarter. */
function actualThisQuarter(
  indicator: IndicatorEntity,
  actuals: ActualEntity[],
  range: { start: string; end: string },
): number | null {
  if (indicator.measure === 'qualitative') return null;
  const inQuarter = actuals.filter((a) => isWithinRange(a.periodEnd, range) && a.value !== null);
  if (inQuarter.length === 0) return null;
  if (indicator.aggregation === 'latest' || indicator.measure !== 'number')
    return toJsonNumber(inQuarter[inQuarter.length - 1].value);
  // Exact sum with the calculations' decimal type.
  const total = inQuarter.reduce((sum, a) => sum.plus(a.value as string), new CalcDecimal(0));
  return toJsonNumber(toPlainString(total));
}

/** Evaluates one indicator for the report (pure). A malformed series becomes not_assessable with a note. */
export function indicatorRow(
  node: IndicatorNode,
  actuals: ActualEntity[],
  asOf: string,
  range: { start: string; end: string },
  thresholds: Thresholds,
  graceDays: number,
  evaluations?: Map<string, IndicatorEvaluation>,
): ReportIndicatorRow {
  const i = node.indicator;
  const sorted = [...actuals].sort(
    (a, b) => a.periodEnd.localeCompare(b.periodEnd) || a.periodStart.localeCompare(b.periodStart),
  );
  let evaluation: IndicatorEvaluation | null = null;
  let statusNote: string | null = null;
  try {
    evaluation = evaluateIndicator(seriesInput(node, sorted), asOf, thresholds, { graceDays });
    if (evaluation.notAssessableReason) statusNote = NOT_ASSESSABLE_REASON_TEXT[evaluation.notAssessableReason];
    evaluations?.set(i.stableId, evaluation);
  } catch (error) {
    statusNote = `Cannot be computed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return {
    id: i.stableId,
    code: i.code,
    title: i.title,
    level: i.level,
    measure: i.measure,
    unit: i.unit,
    direction: i.direction,
    aggregation: i.aggregation,
    baseline: toJsonNumber(i.baselineValue),
    baselineYear: i.baselineYear,
    endTarget: edge(i, i.measure === 'qualitative' ? i.endTargetDescription : i.endTargetValue),
    targetToDate: evaluation ? edge(i, evaluation.targetToDate) : null,
    targetToDatePeriod: evaluation?.targetToDatePeriod ?? null,
    actualThisQuarter: actualThisQuarter(
      i,
      sorted.filter((a) => a.periodEnd <= asOf),
      range,
    ),
    latestActual: evaluation?.latestActual
      ? {
          value: edge(i, evaluation.latestActual.value),
          period: { start: evaluation.latestActual.periodStart, end: evaluation.latestActual.periodEnd },
        }
      : null,
    actualToDate: evaluation ? edge(i, evaluation.actualToDate) : null,
    evaluationPeriod: evaluation?.evaluationPeriod ?? null,
    achievementPercent: toJsonNumber(roundPercent(evaluation?.achievementPercent ?? null)),
    progressPercent: toJsonNumber(roundPercent(evaluation?.progressPercent ?? null)),
    status: evaluation?.status ?? 'not_assessable',
    statusNote,
    flags: evaluation ? [...evaluation.flags] : ['calculation_error'],
    reviewFlags: (i.flags ?? []).map((f) => f.code),
    meansOfVerification: i.meansOfVerification,
  };
}
