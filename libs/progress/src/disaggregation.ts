import type { Decimal } from 'decimal.js';
import { CalcDecimal } from '#libs/calculations';
import type { Measure } from '#libs/calculations';

/**
 * Disaggregation dimensions whose categories are mutually exclusive and exhaustive (DESIGN.md §4):
 * their parts must add up to the total. Any other dimension (e.g. `lnob` target groups) may
 * overlap and is reported without that check.
 */
export const EXCLUSIVE_DIMENSIONS = ['sex', 'age', 'disability', 'location', 'urban_rural'] as const;

/** Categories of `sex` (DESIGN.md §4). */
export const SEX_CATEGORIES = ['female', 'male', 'other', 'not_recorded'] as const;

export interface DisaggregatedValue {
  dimension: string;
  category: string;
  value?: string | null;
  numerator?: string | null;
  denominator?: string | null;
}

/** One problem with the parts of a total: which dimension, and the difference in plain words. */
export interface DisaggregationProblem {
  dimension: string;
  /**
   * Stable reason (a field error code): `dimension_required`, `duplicate`, `not_in_list` or
   * `parts_mismatch` (the parts do not add up to the total).
   */
  code: 'dimension_required' | 'duplicate' | 'not_in_list' | 'parts_mismatch';
  /** Parameters of the reason: the dimension, and the category, list, sum and total where they apply. */
  params: Record<string, string>;
  message: string;
}

const sum = (values: (string | null | undefined)[]) =>
  values.reduce((s: Decimal, v) => s.plus(v ?? 0), new CalcDecimal(0));

function difference(
  dimension: string,
  part: 'value' | 'numerator' | 'denominator',
  parts: { category: string; value: string | null | undefined }[],
  total: string,
): DisaggregationProblem | null {
  const added = sum(parts.map((p) => p.value));
  const diff = added.minus(total);
  if (diff.isZero()) return null;
  const label = part === 'value' ? dimension : `${dimension} ${part}s`;
  const list = parts.map((p) => `${p.category} ${new CalcDecimal(p.value ?? 0).toString()}`).join(' + ');
  const params = {
    dimension,
    part,
    sum: added.toString(),
    total: new CalcDecimal(total).toString(),
    difference: diff.abs().toString(),
    direction: diff.isNegative() ? 'short' : 'over',
  };
  return {
    dimension,
    code: 'parts_mismatch',
    params,
    message: `${label}: ${list} = ${params.sum}, but the total is ${params.total}: the parts are ${params.difference} ${params.direction}`,
  };
}

/**
 * Checks the parts of an actual against its total, per exclusive dimension: numbers add up to the
 * value; percentages' numerators and denominators add up to the total's (never the percentages).
 * Also checks `sex` categories and that every required dimension is present.
 * @returns every problem found (empty when consistent)
 */
export function checkDisaggregation(
  measure: Measure,
  total: { value?: string | null; numerator?: string | null; denominator?: string | null },
  parts: DisaggregatedValue[],
  required: string[],
): DisaggregationProblem[] {
  const problems: DisaggregationProblem[] = [];
  const byDimension = new Map<string, DisaggregatedValue[]>();
  for (const p of parts) byDimension.set(p.dimension, [...(byDimension.get(p.dimension) ?? []), p]);
  for (const dimension of required) {
    if (!byDimension.has(dimension) && (measure === 'number' || measure === 'percentage'))
      problems.push({
        dimension,
        code: 'dimension_required',
        params: { dimension },
        message: `${dimension}: this indicator requires values by ${dimension}`,
      });
  }
  for (const [dimension, list] of byDimension) {
    const seen = new Set<string>();
    for (const p of list) {
      if (seen.has(p.category))
        problems.push({
          dimension,
          code: 'duplicate',
          params: { dimension, category: p.category },
          message: `${dimension}: category '${p.category}' is given twice`,
        });
      seen.add(p.category);
      if (dimension === 'sex' && !(SEX_CATEGORIES as readonly string[]).includes(p.category))
        problems.push({
          dimension,
          code: 'not_in_list',
          params: { dimension, category: p.category, values: SEX_CATEGORIES.join(', ') },
          message: `sex: category '${p.category}' must be one of: ${SEX_CATEGORIES.join(', ')}`,
        });
    }
    if (!(EXCLUSIVE_DIMENSIONS as readonly string[]).includes(dimension)) continue;
    if (measure === 'number' && total.value != null) {
      const problem = difference(
        dimension,
        'value',
        list.map((p) => ({ category: p.category, value: p.value })),
        total.value,
      );
      if (problem) problems.push(problem);
    }
    if (measure === 'percentage' && total.numerator != null && total.denominator != null) {
      const num = difference(
        dimension,
        'numerator',
        list.map((p) => ({ category: p.category, value: p.numerator })),
        total.numerator,
      );
      const den = difference(
        dimension,
        'denominator',
        list.map((p) => ({ category: p.category, value: p.denominator })),
        total.denominator,
      );
      if (num) problems.push(num);
      if (den) problems.push(den);
    }
  }
  return problems;
}
