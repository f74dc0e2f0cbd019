import { CalcDecimal, quarterLabel } from '#libs/calculations';
import type { ErrorParams, FieldError, FieldErrorCode } from '#libs/common';
import type { IndicatorEntity, MilestoneRating, ProjectEntity } from '#libs/database';
import type { ActualValues } from './actuals.repository.js';
import { checkDisaggregation, type DisaggregatedValue } from './disaggregation.js';

/** One actual of a quarter's bulk entry. Values are exact decimal strings; percentages give numerator + denominator. */
export interface ActualInput {
  /** The indicator's stable id. */
  indicatorId: string;
  /** Default: the quarter; otherwise a period ending inside the quarter. */
  periodStart?: string;
  periodEnd?: string;
  value?: string | null;
  numerator?: string | null;
  denominator?: string | null;
  text?: string | null;
  rating?: MilestoneRating | null;
  comment?: string | null;
  evidenceUrl?: string | null;
  disaggregations?: DisaggregatedValue[];
  /**
   * The actual's version when it was read (`actuals[].version` of GET .../progress/:year/:quarter);
   * absent for an actual that did not exist. A different current version is a 409 (optimistic concurrency).
   */
  version?: number | null;
}

/** An entry of a bulk entry that passed the checks: its indicator, period and values. */
export interface CheckedActual {
  indicator: IndicatorEntity;
  periodStart: string;
  periodEnd: string;
  values: ActualValues;
  entry: ActualInput;
}

/** Records one field error of an entry: the field under the entry's path ('' for the entry itself). */
type Fail = (field: string, code: FieldErrorCode, message: string, params?: ErrorParams) => void;

/** What a bulk entry is checked against. */
export interface EntryContext {
  project: Pick<ProjectEntity, 'startDate' | 'endDate'>;
  year: number;
  quarter: number;
  range: { start: string; end: string };
  /** Indicators of the approved logframe by stable id. */
  indicators: Map<string, IndicatorEntity>;
  /** Stable ids of retired indicator series. */
  retired: Set<string>;
}

/**
 * Checks every entry of a quarter's bulk entry (DESIGN.md §4): the indicator exists and is not
 * retired, the period ends in the quarter and within the project, no indicator and period twice,
 * the values fit the indicator's measure, and the parts add up. Each problem becomes a field error
 * `{ path: actuals[i].field, code, params, message }`.
 * @returns the entries that name a known indicator (only meaningful when `errors` is empty)
 */
export function checkActualEntries(
  entries: ActualInput[],
  context: EntryContext,
): { valid: CheckedActual[]; errors: FieldError[] } {
  const { project, range, indicators, retired } = context;
  const label = quarterLabel(context.year, context.quarter);
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const valid: CheckedActual[] = [];
  entries.forEach((e, i) => {
    const path = `actuals[${i}]`;
    const fail: Fail = (field, code, message, params = {}) =>
      errors.push({ path: field ? `${path}.${field}` : path, code, params, message });
    const indicator = indicators.get(e.indicatorId);
    if (!indicator) {
      fail('indicatorId', 'not_found', 'no such indicator in the approved logframe', { entity: 'indicator' });
      return;
    }
    if (retired.has(e.indicatorId))
      fail('indicatorId', 'retired', `indicator ${indicator.code} is retired`, { indicator: indicator.code });
    const periodStart = e.periodStart ?? range.start;
    const periodEnd = e.periodEnd ?? range.end;
    if (periodStart > periodEnd)
      fail('periodEnd', 'before_start', `${periodEnd} is before periodStart ${periodStart}`, { start: periodStart });
    if (periodEnd < range.start || periodEnd > range.end)
      fail('periodEnd', 'outside_quarter', `${periodEnd} is not in ${label} (${range.start}..${range.end})`, {
        quarter: label,
        start: range.start,
        end: range.end,
      });
    if (project.startDate && periodStart < project.startDate)
      fail(
        'periodStart',
        'before_project_start',
        `${periodStart} is before the project starts (${project.startDate})`,
        {
          startDate: project.startDate,
        },
      );
    if (project.endDate && periodEnd > project.endDate)
      fail('periodEnd', 'after_project_end', `${periodEnd} is after the project ends (${project.endDate})`, {
        endDate: project.endDate,
      });
    const key = `${e.indicatorId}/${periodStart}/${periodEnd}`;
    if (seen.has(key))
      fail('', 'duplicate', `${indicator.code} ${periodStart}..${periodEnd} is given twice`, {
        indicator: indicator.code,
        periodStart,
        periodEnd,
      });
    seen.add(key);
    const values = checkValues(indicator, e, fail);
    const parts = e.disaggregations ?? [];
    for (const problem of checkDisaggregation(
      indicator.measure,
      values,
      parts,
      indicator.requiredDisaggregations ?? [],
    ))
      fail('disaggregations', problem.code, `${indicator.code} ${problem.message}`, {
        indicator: indicator.code,
        ...problem.params,
      });
    valid.push({ indicator, periodStart, periodEnd, values, entry: e });
  });
  return { valid, errors };
}

const has = (v: unknown) => v !== null && v !== undefined;
const NONE: ActualValues = { value: null, numerator: null, denominator: null, text: null, rating: null };

/** The values of an entry as the indicator's measure wants them; each misfit recorded with `fail`. */
function checkValues(indicator: IndicatorEntity, e: ActualInput, fail: Fail): ActualValues {
  const code = indicator.code;
  switch (indicator.measure) {
    case 'qualitative':
      if (has(e.value) || has(e.numerator) || has(e.denominator))
        fail('value', 'numbers_not_allowed', `${code} is qualitative: give text and a milestone rating, not numbers`, {
          indicator: code,
        });
      if (!e.text?.trim())
        fail('text', 'required', `${code} is qualitative: describe what was achieved`, { indicator: code });
      if (!e.rating)
        fail(
          'rating',
          'required',
          `${code} is qualitative: rate the milestone (achieved, partly_achieved, not_achieved)`,
          { indicator: code },
        );
      return { ...NONE, text: e.text ?? null, rating: e.rating ?? null };
    case 'percentage':
      return percentageValues(indicator, e, fail);
    default:
      return quantityValues(indicator, e, fail);
  }
}

/** A quantitative entry may not carry text or a milestone rating. */
function refuseText(indicator: IndicatorEntity, e: ActualInput, fail: Fail): void {
  if (has(e.text) || has(e.rating))
    fail('text', 'text_not_allowed', `${indicator.code} is quantitative: free text is not a value (use comment)`, {
      indicator: indicator.code,
    });
}

function percentageValues(indicator: IndicatorEntity, e: ActualInput, fail: Fail): ActualValues {
  refuseText(indicator, e, fail);
  if (!has(e.numerator) || !has(e.denominator)) {
    fail(
      has(e.numerator) ? 'denominator' : 'numerator',
      'required',
      `${indicator.code} is a percentage: give the numerator and the denominator`,
      { indicator: indicator.code },
    );
    return NONE;
  }
  const num = new CalcDecimal(e.numerator!);
  const den = new CalcDecimal(e.denominator!);
  if (!den.greaterThan(0)) fail('denominator', 'not_positive', 'must be greater than 0');
  if (num.isNegative()) fail('numerator', 'negative', 'must not be negative');
  const value = den.greaterThan(0) ? num.times(100).dividedBy(den).toDecimalPlaces(10) : null;
  if (has(e.value) && value && !new CalcDecimal(e.value!).toDecimalPlaces(6).equals(value.toDecimalPlaces(6))) {
    const computed = value.toDecimalPlaces(4).toString();
    fail('value', 'percentage_mismatch', `is ${e.value} but ${e.numerator}/${e.denominator} is ${computed} %`, {
      value: e.value!,
      numerator: e.numerator!,
      denominator: e.denominator!,
      computed,
    });
  }
  return { ...NONE, value: value?.toString() ?? null, numerator: num.toString(), denominator: den.toString() };
}

function quantityValues(indicator: IndicatorEntity, e: ActualInput, fail: Fail): ActualValues {
  refuseText(indicator, e, fail);
  if (has(e.numerator) || has(e.denominator))
    fail(
      'numerator',
      'numerator_not_allowed',
      `numerator and denominator are only for percentage indicators (${indicator.code} measures '${indicator.measure}')`,
      { indicator: indicator.code, measure: indicator.measure },
    );
  if (!has(e.value)) {
    fail('value', 'required', `${indicator.code} needs a value`, { indicator: indicator.code });
    return NONE;
  }
  const value = new CalcDecimal(e.value!);
  const scale = indicator.ordinalScale;
  if (indicator.measure === 'ordinal' && scale && (value.lessThan(scale.min) || value.greaterThan(scale.max)))
    fail('value', 'out_of_scale', `must be on the scale ${scale.min}–${scale.max}`, { min: scale.min, max: scale.max });
  return { ...NONE, value: value.toString() };
}
