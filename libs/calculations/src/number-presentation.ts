import { CalcDecimal, type CalcDecimalValue } from './decimal.js';

/**
 * The one number rule for presenting figures in every format (issue 12, item 4; docs/RULES.md
 * "Presenting numbers"). Pure: the server's renderers (CSV, XLSX, PDF) and the web app use the same
 * functions.
 *
 * - Entered values (baselines, targets, actuals, amounts) are printed exactly as stored: no rounding,
 *   no padding (`0.0061`, `13,594,502`, `100`).
 * - Achievement, progress and computed percentages: 1 decimal place (`38.5`, `50.0`).
 * - Other computed values (sums, pooled or weighted combinations): exact when the decimal terminates
 *   (at most {@link MAX_EXACT_DECIMALS} places, or a fraction whose reduced denominator has only the
 *   prime factors 2 and 5), else 4 significant digits.
 * - Thousands separators: `,` in English, a narrow no-break space in French (decimal comma).
 * - XLSX: `#,##0` for whole numbers, and one `0` per decimal place the value has (`#,##0.0000`).
 */

/** Languages numbers are printed in (thousands and decimal separators). */
export type NumberLanguage = 'en' | 'fr';

/** Computed values with more decimal places than this are taken as not terminating (the input rule allows 10). */
export const MAX_EXACT_DECIMALS = 10;

/** Significant digits of a computed value that does not terminate. */
export const COMPUTED_SIGNIFICANT_DIGITS = 4;

const SEPARATORS: Record<NumberLanguage, { group: string; decimal: string }> = {
  en: { group: ',', decimal: '.' },
  fr: { group: '\u202f', decimal: ',' },
};

/** A JSON number or a decimal string as an exact decimal (`1e-7` → 0.0000001). @throws Error when not a finite number */
function decimalOf(value: number | string | CalcDecimalValue): CalcDecimalValue {
  const d = new CalcDecimal(value);
  if (!d.isFinite()) throw new Error(`Not a finite number: ${String(value)}`);
  return d;
}

/** The plain decimal digits of a value (`1e-7` → `0.0000001`, `100.0` → `100`): no exponent, no trailing zeros. */
export function plainDecimal(value: number | string | CalcDecimalValue): string {
  return decimalOf(value).toFixed();
}

/** The number of decimal places of a value as stored (`0.0061` → 4, `100` → 0, `1e-7` → 7). */
export function decimalPlaces(value: number | string | CalcDecimalValue): number {
  return decimalOf(value).decimalPlaces();
}

/** Groups the digits of a plain decimal string and applies the language's separators. */
function group(plain: string, lang: NumberLanguage): string {
  const { group: sep, decimal } = SEPARATORS[lang];
  const negative = plain.startsWith('-');
  const [whole, fraction] = (negative ? plain.slice(1) : plain).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return `${negative ? '-' : ''}${grouped}${fraction ? `${decimal}${fraction}` : ''}`;
}

/**
 * An entered value exactly as stored, with thousands separators (`13594502` → `13,594,502`,
 * `0.0061` → `0.0061`, `100` → `100`, `1e-7` → `0.0000001`). Never rounds, never pads.
 * @throws Error when the value is not a finite number
 */
export function formatEntered(value: number | string, lang: NumberLanguage = 'en'): string {
  return group(plainDecimal(value), lang);
}

/**
 * An achievement, progress or computed percentage to 1 decimal place (`38.4615…` → `38.5`, `50` →
 * `50.0`), rounding half away from zero, without the `%` sign.
 */
export function formatPercentValue(value: number | string, lang: NumberLanguage = 'en'): string {
  return group(decimalOf(value).toDecimalPlaces(1, CalcDecimal.ROUND_HALF_UP).toFixed(1), lang);
}

/** Whether num/den is a terminating decimal (its reduced denominator has only the prime factors 2 and 5). */
export function isTerminatingFraction(numerator: number | string, denominator: number | string): boolean {
  const num = decimalOf(numerator);
  const den = decimalOf(denominator);
  if (den.isZero()) return false;
  // Scale both to integers, then divide the denominator by their greatest common divisor.
  const scale = new CalcDecimal(10).pow(Math.max(num.decimalPlaces(), den.decimalPlaces()));
  let x = num.times(scale).abs();
  let y = den.times(scale).abs();
  const whole = y;
  while (!y.isZero()) [x, y] = [y, x.mod(y)];
  let b = whole.dividedBy(x);
  for (const p of [2, 5]) while (b.mod(p).isZero()) b = b.dividedBy(p);
  return b.equals(1);
}

/**
 * A computed value that is not a percentage (a sum, a combined baseline or target): exact when it
 * terminates, else {@link COMPUTED_SIGNIFICANT_DIGITS} significant digits; with thousands separators.
 * Give a fraction `{ numerator, denominator }` when the value is a quotient, so termination is decided
 * exactly; a decimal with more than {@link MAX_EXACT_DECIMALS} places is taken as not terminating.
 */
export function formatComputed(
  value: number | string | { numerator: number | string; denominator: number | string },
  lang: NumberLanguage = 'en',
): string {
  if (typeof value === 'object') {
    const quotient = decimalOf(value.numerator).dividedBy(decimalOf(value.denominator));
    return isTerminatingFraction(value.numerator, value.denominator)
      ? group(quotient.toFixed(), lang)
      : group(quotient.toSignificantDigits(COMPUTED_SIGNIFICANT_DIGITS).toFixed(), lang);
  }
  const d = decimalOf(value);
  if (d.decimalPlaces() <= MAX_EXACT_DECIMALS) return group(d.toFixed(), lang);
  return group(d.toSignificantDigits(COMPUTED_SIGNIFICANT_DIGITS).toFixed(), lang);
}

/**
 * The XLSX number format that shows a value exactly: `#,##0` for a whole number, else `#,##0.` with
 * one `0` per decimal place of the value (`0.0061` → `#,##0.0000`). SSF renders `100` as `100`,
 * `13594502` as `13,594,502` and `0.0061` as `0.0061`.
 */
export function xlsxNumberFormat(value: number | string): string {
  const places = decimalPlaces(value);
  return places === 0 ? '#,##0' : `#,##0.${'0'.repeat(places)}`;
}

/** The XLSX number format of achievement, progress and computed percentages (0–100 scale, 1 dp). */
export const XLSX_PERCENT_1DP_FORMAT = '#,##0.0';
