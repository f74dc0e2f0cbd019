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
  message: string;
}

const sum = (values: (string | null | undefined)[]) =>
  values.reduce((s: Decimal, v) => s.plus(v ?? 0), new CalcDecimal(0));

function difference(
  label: string,
  parts: { category: string; value: string | null | undefined }[],
  total: string,
): string | null {
  const added = sum(parts.map((p) => p.value));
  const diff = added.minus(total);
  if (diff.isZero()) return null;
  const list = parts.map((p) => `${p.category} ${new CalcDecimal(p.value ?? 0).toString()}`).join(' + ');
  return `${label}: ${list} = ${added.toString()}, but the total is ${new CalcDecimal(total).toString()}: the parts are ${diff.abs().toString()} ${diff.isNegative() ? 'short' : 'over'}`;
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
      problems.push({ dimension, message: `${dimension}: this indicator requires values by ${dimension}` });
  }
  for (const [dimension, list] of byDimension) {
    const seen = new Set<string>();
    for (const p of list) {
      if (seen.has(p.category))
        problems.push({ dimension, message: `${dimension}: category '${p.category}' is given twice` });
      seen.add(p.category);
      if (dimension === 'sex' && !(SEX_CATEGORIES as readonly string[]).includes(p.category))
        problems.push({
          dimension,
          message: `sex: category '${p.category}' must be one of: ${SEX_CATEGORIES.join(', ')}`,
        });
    }
    if (!(EXCLUSIVE_DIMENSIONS as readonly string[]).includes(dimension)) continue;
    if (measure === 'number' && total.value != null) {
      const message = difference(
        dimension,
        list.map((p) => ({ category: p.category, value: p.value })),
        total.value,
      );
      if (message) problems.push({ dimension, message });
    }
    if (measure === 'percentage' && total.numerator != null && total.denominator != null) {
      const num = difference(
        `${dimension} numerators`,
        list.map((p) => ({ category: p.category, value: p.numerator })),
        total.numerator,
      );
      const den = difference(
        `${dimension} denominators`,
        list.map((p) => ({ category: p.category, value: p.denominator })),
        total.denominator,
      );
      if (num) problems.push({ dimension, message: num });
      if (den) problems.push({ dimension, message: den });
    }
  }
  return problems;
}
