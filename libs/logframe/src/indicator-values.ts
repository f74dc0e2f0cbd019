import { CalcDecimal } from '#libs/calculations';
import type { ErrorParams, FieldError, FieldErrorCode } from '#libs/common';
import type { IndicatorDoc, PeriodTargetDoc } from './logframe-document.js';
import { isBeyondBaseline, periodOutsideProject, type ProjectDates } from './logframe-rules.js';

const HUNDRED = new CalcDecimal(100);

/** A measured amount as stored: exact decimal strings in plain notation, or null. */
export interface StoredAmount {
  value: string | null;
  numerator: string | null;
  denominator: string | null;
}

/** An indicator's values checked and normalised: baseline, end target and period targets. */
export interface CheckedIndicatorValues {
  baseline: StoredAmount;
  endTarget: StoredAmount;
  periodTargets: (StoredAmount & {
    periodStart: string;
    periodEnd: string;
    description: string | null;
    comment: null;
  })[];
}

type Fail = (path: string, code: FieldErrorCode, message: string, params?: ErrorParams) => void;
type AmountDoc = { value?: string | null; numerator?: string | null; denominator?: string | null };

/**
 * Checks an element's start and end dates: in order, and within the project's dates. Pushes one
 * field error per problem onto `errors` (paths `<path>.<startField>` / `<path>.<endField>`).
 */
export function checkDates(
  errors: FieldError[],
  path: string,
  start: string | null,
  end: string | null,
  project: ProjectDates,
  startField: string,
  endField: string,
): void {
  if (start && end && start > end)
    errors.push({
      path: `${path}.${endField}`,
      code: 'before_start',
      params: { start },
      message: `${end} is before ${startField} ${start}`,
    });
  if (start && project.startDate && start < project.startDate)
    errors.push({
      path: `${path}.${startField}`,
      code: 'before_project_start',
      params: { startDate: project.startDate },
      message: `${start} is before the project starts (${project.startDate})`,
    });
  if (end && project.endDate && end > project.endDate)
    errors.push({
      path: `${path}.${endField}`,
      code: 'after_project_end',
      params: { endDate: project.endDate },
      message: `${end} is after the project ends (${project.endDate})`,
    });
}

const has = (v: string | null | undefined): v is string => v !== null && v !== undefined;

/**
 * One amount (baseline, end target or period target) checked against the indicator's measure and
 * scale (DESIGN.md §2): percentages as value 0-100, or numerator and denominator (then value =
 * 100·numerator/denominator, to 10 decimal places; a given value must agree to 6 places).
 */
function checkAmount(fail: Fail, d: IndicatorDoc, p: string, a: AmountDoc | null | undefined): StoredAmount {
  const none = { value: null, numerator: null, denominator: null };
  if (!a) return none;
  if (d.measure === 'qualitative') {
    if (has(a.value) || has(a.numerator) || has(a.denominator))
      fail(p, 'numbers_not_allowed', 'a qualitative indicator takes a description, not numbers');
    return none;
  }
  if (d.measure !== 'percentage' && (has(a.numerator) || has(a.denominator)))
    fail(
      `${p}.numerator`,
      'numerator_not_allowed',
      `numerator and denominator are only for percentage indicators (this one measures '${d.measure}')`,
      { measure: d.measure },
    );
  let value = has(a.value) ? new CalcDecimal(a.value) : null;
  if (d.measure === 'percentage' && (has(a.numerator) || has(a.denominator))) {
    if (!has(a.numerator) || !has(a.denominator))
      fail(
        `${p}.${has(a.numerator) ? 'denominator' : 'numerator'}`,
        'required',
        'give both numerator and denominator, or neither',
      );
    else {
      const num = new CalcDecimal(a.numerator);
      const den = new CalcDecimal(a.denominator);
      if (!den.greaterThan(0)) fail(`${p}.denominator`, 'not_positive', 'must be greater than 0');
      else if (num.isNegative()) fail(`${p}.numerator`, 'negative', 'must not be negative');
      else {
        const computed = num.times(HUNDRED).dividedBy(den);
        if (value && !value.toDecimalPlaces(6).equals(computed.toDecimalPlaces(6)))
          fail(
            `${p}.value`,
            'percentage_mismatch',
            `is ${value.toString()} but numerator/denominator give ${computed.toDecimalPlaces(4).toString()} %`,
            {
              value: value.toString(),
              numerator: a.numerator,
              denominator: a.denominator,
              computed: computed.toDecimalPlaces(4).toString(),
            },
          );
        value = computed.toDecimalPlaces(10);
      }
    }
  }
  const scale = d.ordinalScale;
  if (value && d.measure === 'percentage' && (value.isNegative() || value.greaterThan(HUNDRED)))
    fail(`${p}.value`, 'out_of_range', 'must be a percentage from 0 to 100', { min: 0, max: 100 });
  if (value && d.measure === 'ordinal' && scale && (value.lessThan(scale.min) || value.greaterThan(scale.max)))
    fail(`${p}.value`, 'out_of_scale', `must be on the scale ${scale.min}–${scale.max}`, {
      min: scale.min,
      max: scale.max,
    });
  return {
    value: value ? value.toString() : null,
    numerator: has(a.numerator) ? new CalcDecimal(a.numerator).toString() : null,
    denominator: has(a.denominator) ? new CalcDecimal(a.denominator).toString() : null,
  };
}

/**
 * Checks an indicator's values against its measure, scale and direction (DESIGN.md §2, §5) and
 * returns them normalised (percentages: value = 100·numerator/denominator when the pair is given).
 * Pure: pushes field errors (paths under `path`) onto `errors` and never throws.
 */
export function checkIndicatorValues(
  errors: FieldError[],
  path: string,
  d: IndicatorDoc,
  project: ProjectDates,
): CheckedIndicatorValues {
  const fail: Fail = (p, code, message, params = {}) => errors.push({ path: `${path}.${p}`, code, params, message });
  const scale = d.ordinalScale;
  if (d.measure === 'ordinal') {
    if (!scale)
      fail('ordinalScale', 'required', 'is required for an ordinal indicator (min, max and optional labels)', {
        measure: 'ordinal',
      });
    else if (!new CalcDecimal(scale.min).lessThan(scale.max))
      fail('ordinalScale.max', 'not_above', `must be above min (${scale.min})`, { min: scale.min });
  } else if (scale)
    fail('ordinalScale', 'not_applicable', `is only for ordinal indicators (this one measures '${d.measure}')`, {
      measure: d.measure,
    });

  if (d.baseline?.notAvailableReason && d.baseline.value !== null && d.baseline.value !== undefined)
    fail(
      'baseline.notAvailableReason',
      'not_both',
      'give a baseline value or the reason it is not available, not both',
    );
  const baseline = checkAmount(fail, d, 'baseline', d.baseline);
  const endTarget = checkAmount(fail, d, 'endTarget', d.endTarget);

  // Direction: the end target lies strictly beyond the baseline; period targets on that side or equal.
  const beyond = (v: string, strict: boolean) =>
    baseline.value === null || isBeyondBaseline(v, baseline.value, d.direction, strict);
  const side = d.direction === 'increase' ? 'above' : 'below';
  if (endTarget.value !== null && !beyond(endTarget.value, true))
    fail(
      'endTarget.value',
      'wrong_side',
      `must be ${side} the baseline (${baseline.value}) for an indicator that should ${d.direction}`,
      { side, baseline: baseline.value, direction: d.direction },
    );

  const seen = new Set<string>();
  const periodTargets = d.periodTargets.map((t: PeriodTargetDoc, i) => {
    const p = `periodTargets[${i}]`;
    if (t.periodStart > t.periodEnd)
      fail(`${p}.periodEnd`, 'before_start', `${t.periodEnd} is before periodStart ${t.periodStart}`, {
        start: t.periodStart,
      });
    const outside = periodOutsideProject(t, project);
    if (outside.startsBefore)
      fail(
        `${p}.periodStart`,
        'before_project_start',
        `${t.periodStart} is before the project starts (${project.startDate})`,
        {
          startDate: project.startDate,
        },
      );
    if (outside.endsAfter)
      fail(`${p}.periodEnd`, 'after_project_end', `${t.periodEnd} is after the project ends (${project.endDate})`, {
        endDate: project.endDate,
      });
    const key = `${t.periodStart}/${t.periodEnd}`;
    if (seen.has(key))
      fail(p, 'duplicate', `the period ${t.periodStart}..${t.periodEnd} has two targets`, {
        periodStart: t.periodStart,
        periodEnd: t.periodEnd,
      });
    seen.add(key);
    const v = checkAmount(fail, d, p, t);
    if (v.value !== null && !beyond(v.value, false))
      fail(
        `${p}.value`,
        'wrong_side',
        `must be ${side} or equal to the baseline (${baseline.value}) for an indicator that should ${d.direction}`,
        { side, baseline: baseline.value, direction: d.direction, orEqual: true },
      );
    return {
      periodStart: t.periodStart,
      periodEnd: t.periodEnd,
      ...v,
      description: t.description ?? null,
      comment: null,
    };
  });
  return { baseline, endTarget, periodTargets };
}
