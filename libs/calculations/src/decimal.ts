import { Decimal } from 'decimal.js';

/**
 * Significant digits kept by every calculation in this library.
 *
 * Additions, subtractions and multiplications of inputs with fewer significant digits than this
 * are exact; a division (a ratio or a percentage of a fraction) is rounded once, half-up, to this
 * many significant digits. Rounding for presentation is separate (see `roundPercent`).
 */
export const DECIMAL_PRECISION = 40;

/**
 * The product's one decimal configuration: every exact decimal (calculations, checklist, progress
 * validation, IATI numbers, the `numeric` column transformer) is built with this constructor, an
 * isolated clone of decimal.js with `DECIMAL_PRECISION` significant digits and ROUND_HALF_UP, so
 * the global `Decimal` configuration (which other code may change) never affects a result.
 * `toExpNeg`/`toExpPos` at their limits: `toString()` never uses exponent notation ('0.00000001', not '1e-8').
 */
export const CalcDecimal: Decimal.Constructor = Decimal.clone({
  precision: DECIMAL_PRECISION,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});

/** A decimal value of the calculations (an instance of `CalcDecimal`). */
export type CalcDecimalValue = Decimal;

const DECIMAL_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Whether `value` is a decimal string this library accepts: plain decimal notation with an
 * optional sign and exponent (`'12'`, `'-0.5'`, `'1e3'`). Rejects empty strings, whitespace,
 * thousands separators, hexadecimal, `NaN` and `Infinity`.
 */
export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL_PATTERN.test(value);
}

/**
 * Parses a decimal string into a `CalcDecimal`.
 *
 * @param value decimal string, e.g. `'12.5'` (see `isDecimalString`)
 * @param label what the value is, used in the error message (e.g. `'baseline'`)
 * @throws Error `Invalid decimal for <label>: "<value>"` when the string is not a finite decimal
 */
export function parseDecimal(value: string, label = 'value'): Decimal {
  if (!isDecimalString(value)) {
    throw new Error(
      `Invalid decimal for ${label}: ${JSON.stringify(value)} (expected a decimal string such as "12.5")`,
    );
  }
  return new CalcDecimal(value);
}

/**
 * Formats a decimal as a plain string without exponent and without trailing zeros
 * (`'66.66…67'`, `'75'`, `'-25'`); negative zero becomes `'0'`.
 */
export function toPlainString(value: Decimal): string {
  return value.isZero() ? '0' : value.toFixed();
}
