import type { IndicatorEntity } from '#libs/database';
import type { IndicatorNode } from '#libs/logframe';
import {
  byPeriodEnd,
  CalcDecimal,
  type CalcDecimalValue,
  evaluateIndicator,
  type IndicatorEvaluation,
  type IndicatorSeriesInput,
  type IndicatorStatus,
  NOT_ASSESSABLE_REASON_TEXT,
  roundPercent,
  type Thresholds,
  toPlainString,
} from '#libs/calculations';
import type { ActualPartRow, ActualRow } from './progress-read.repository.js';

/*
 * One indicator evaluated at a date (DESIGN.md §5) as a line of the quarter's progress and of the
 * quarterly report (DESIGN.md §6). Progress owns it (it reads actuals); reporting builds its
 * sections from these rows and re-exports it.
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
  /**
   * The target due by the as-of date (inclusive): the sum (`sum` numbers) or the latest (otherwise) of
   * the period targets ending on or before it, with the end of the last one (`by`); null when no period
   * target has ended by then ("no target due yet"). Shown when nothing is reported ("Target due by
   * 31 Mar 2022: 3; nothing reported").
   */
  targetDue?: { value: number | string | null; by: string } | null;
  /**
   * Disaggregated values to date, beside `actualToDate`: per dimension and category, the sum of the
   * parts (`sum` numbers), the pooled numerator/denominator (`sum` percentages) or the parts of the
   * latest actual (`latest`). Empty when the actuals carry no parts.
   */
  disaggregations?: ReportDisaggregatedValue[];
}

/** A disaggregated value to date (JSON numbers; a percentage part carries its numerator and denominator). */
export interface ReportDisaggregatedValue {
  dimension: string;
  category: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

/** What is missing, overdue and not validated in a project report (DESIGN.md §6). */
export interface ReportDataCompleteness {
  indicators: number;
  /** Indicators with a value reported up to the as-of date. */
  reported: number;
  /** Nothing reported although a target was due by the as-of date: codes. */
  missing: string[];
  /** Reported, but later than one collection interval plus the grace period: codes. */
  overdue: string[];
  /** Nothing reported and no target due yet (not counted missing): codes. */
  notDueYet: string[];
  /** False until an RBM focal point validated the quarter. */
  validated: boolean;
}

/** An output's line of the output summary: indicators per status. */
export interface ReportOutputSummary {
  outcome: string | null;
  code: string;
  statement: string;
  indicators: number;
  statusCounts: Record<IndicatorStatus, number>;
}

function seriesInput(node: IndicatorNode, actuals: ActualRow[]): IndicatorSeriesInput {
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
    // A quantitative measure reads an actual row's own fields (periodStart, periodEnd, value, numerator,
    // denominator, rating): the rows as they are, not a copy of each; qualitative reads `text` as its value.
    actuals: qualitative
      ? actuals.map((a) => ({
          periodStart: a.periodStart,
          periodEnd: a.periodEnd,
          value: a.text,
          numerator: a.numerator,
          denominator: a.denominator,
          rating: a.rating,
        }))
      : actuals,
    collectionFrequency: i.collectionFrequency,
  };
}

const edge = (indicator: IndicatorEntity, value: string | null): number | string | null =>
  indicator.measure === 'qualitative' ? value : toJsonNumber(value);

/**
 * This quarter's actual: the sum (sum) or the latest (latest) of values whose period ends in the quarter.
 * `actuals` are in period order (end, then start).
 */
function actualThisQuarter(
  indicator: IndicatorEntity,
  actuals: ActualRow[],
  asOf: string,
  range: { start: string; end: string },
): number | null {
  if (indicator.measure === 'qualitative') return null;
  // Calendar dates 'YYYY-MM-DD' (from the database) compare as strings: within the range, inclusive.
  // The actuals are in period-end order, so those ending in the quarter are the last ones: found from the end.
  const until = asOf < range.end ? asOf : range.end;
  let first = actuals.length;
  while (first > 0 && actuals[first - 1].periodEnd >= range.start) first -= 1;
  let last = -1;
  let total: CalcDecimalValue | null = null;
  const sum = indicator.aggregation !== 'latest' && indicator.measure === 'number';
  for (let k = first; k < actuals.length; k += 1) {
    const a = actuals[k];
    if (a.periodEnd > until || a.value === null) continue;
    last = k;
    // Exact sum with the calculations' decimal type, in period order.
    if (sum) total = (total ?? new CalcDecimal(0)).plus(a.value);
  }
  if (last < 0) return null;
  return toJsonNumber(total === null ? actuals[last].value : toPlainString(total));
}

/** Whether actuals are in period order (end, then start), as ProgressReadRepository.actualsToDate gives them. */
function inPeriodOrder(actuals: ActualRow[]): boolean {
  for (let k = 1; k < actuals.length; k += 1) {
    const a = actuals[k - 1];
    const b = actuals[k];
    if (a.periodEnd > b.periodEnd || (a.periodEnd === b.periodEnd && a.periodStart > b.periodStart)) return false;
  }
  return true;
}

/**
 * Evaluates one indicator for the report (pure). A malformed series becomes not_assessable with a note.
 * `actuals`: the indicator's actuals (calendar dates, decimal strings), best in period order (end, then
 * start) as ProgressReadRepository.actualsToDate reads them (otherwise they are sorted here);
 * `disaggregationsByActual`: their parts by actual id.
 */
export function indicatorRow(
  node: IndicatorNode,
  actuals: ActualRow[],
  asOf: string,
  range: { start: string; end: string },
  thresholds: Thresholds,
  graceDays: number,
  evaluations?: Map<string, IndicatorEvaluation>,
  disaggregationsByActual?: Map<string, ActualPartRow[]>,
): ReportIndicatorRow {
  const i = node.indicator;
  // Dates are fixed-width 'YYYY-MM-DD': comparing them as strings is comparing the dates.
  const sorted = inPeriodOrder(actuals)
    ? actuals
    : [...actuals].sort((a, b) => a.periodEnd.localeCompare(b.periodEnd) || a.periodStart.localeCompare(b.periodStart));
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
    actualThisQuarter: actualThisQuarter(i, sorted, asOf, range),
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
    targetDue: targetDue(node, asOf),
    disaggregations: evaluation?.evaluationPeriod
      ? disaggregationsToDate(
          i,
          sorted,
          evaluation.evaluationPeriod.end,
          evaluation.aggregationUsed,
          disaggregationsByActual,
        )
      : [],
  };
}

/** The target due by `asOf` (inclusive): Σ period targets (`sum` numbers) or the latest one; null when none has ended. */
function targetDue(node: IndicatorNode, asOf: string): ReportIndicatorRow['targetDue'] {
  const i = node.indicator;
  // Fixed-width 'YYYY-MM-DD' dates: compared as strings (code units), as localeCompare orders them.
  const due = node.periodTargets.filter((t) => t.periodEnd <= asOf).sort(byPeriodEnd);
  if (due.length === 0) return null;
  const last = due[due.length - 1];
  if (i.measure === 'qualitative') return { value: last.description ?? null, by: last.periodEnd };
  if (i.measure === 'number' && i.aggregation === 'sum') {
    const values = due.filter((t) => t.value !== null);
    if (values.length === 0) return { value: null, by: last.periodEnd };
    const total = values.reduce((sum, t) => sum.plus(t.value as string), new CalcDecimal(0));
    return { value: toJsonNumber(toPlainString(total)), by: last.periodEnd };
  }
  return { value: toJsonNumber(last.value), by: last.periodEnd };
}

/**
 * Disaggregated values to date (see `ReportIndicatorRow.disaggregations`): `latest` takes the parts of
 * the latest actual; `sum` adds each category's values (percentages: numerators and denominators, the
 * value being 100·Σnum/Σden), exactly.
 */
function disaggregationsToDate(
  indicator: IndicatorEntity,
  sorted: ActualRow[],
  until: string,
  aggregation: string,
  partsByActual: Map<string, ActualPartRow[]> | undefined,
): ReportDisaggregatedValue[] {
  if (!partsByActual || partsByActual.size === 0 || indicator.measure === 'qualitative') return [];
  // The actuals used: those ending on or before `until` (a prefix of the period-ordered list).
  let used = 0;
  while (used < sorted.length && sorted[used].periodEnd <= until) used += 1;
  if (used === 0) return [];
  const totals = new Map<
    string,
    {
      dimension: string;
      category: string;
      value: CalcDecimalValue | null;
      num: CalcDecimalValue | null;
      den: CalcDecimalValue | null;
    }
  >();
  const add = (a: CalcDecimalValue | null, b: string | null) => (b === null ? a : (a ?? new CalcDecimal(0)).plus(b));
  for (let k = aggregation === 'latest' ? used - 1 : 0; k < used; k += 1)
    for (const part of partsByActual.get(sorted[k].id) ?? []) {
      const key = `${part.dimension}\u0000${part.category}`;
      const total = totals.get(key) ?? {
        dimension: part.dimension,
        category: part.category,
        value: null,
        num: null,
        den: null,
      };
      total.value = add(total.value, part.value);
      total.num = add(total.num, part.numerator);
      total.den = add(total.den, part.denominator);
      totals.set(key, total);
    }
  const plain = (d: CalcDecimalValue | null) => (d === null ? null : toJsonNumber(toPlainString(d)));
  return [...totals.values()]
    .sort((a, b) => a.dimension.localeCompare(b.dimension) || a.category.localeCompare(b.category))
    .map((t) => {
      const pooled = indicator.measure === 'percentage' && t.num !== null && t.den !== null && t.den.greaterThan(0);
      return {
        dimension: t.dimension,
        category: t.category,
        value: pooled ? plain(t.num!.times(100).dividedBy(t.den!).toDecimalPlaces(10)) : plain(t.value),
        numerator: plain(t.num),
        denominator: plain(t.den),
      };
    });
}
