import { Decimal } from 'decimal.js';
import { CalcDecimal } from './decimal.js';
import { parseDecimal } from './decimal.js';

/**
 * Rounds a percent (or any decimal string) for presentation, ROUND_HALF_UP (halves away from
 * zero: '66.65' → '66.7', '-2.25' → '-2.3'), keeping exactly `dp` decimal places ('75' → '75.0').
 * Compute with the exact strings; round only when presenting.
 *
 * @param value exact decimal string (e.g. an achievement percent on a 0-100 scale), or null
 * @param dp decimal places, an integer 0-20 (default 1)
 * @returns the rounded string, or null when `value` is null
 * @throws Error when `value` is not a decimal string or `dp` is out of range
 */
export function roundPercent(value: string, dp?: number): string;
export function roundPercent(value: string | null, dp?: number): string | null;
export function roundPercent(value: string | null, dp = 1): string | null {
  if (!Number.isInteger(dp) || dp < 0 || dp > 20) {
    throw new Error(`Invalid decimal places ${dp}: expected an integer 0-20`);
  }
  if (value === null) return null;
  const rounded = parseDecimal(value, 'percent').toDecimalPlaces(dp, Decimal.ROUND_HALF_UP);
  // '-0.0' reads as a sign error in a report: a value that rounds to zero is shown unsigned.
  return rounded.isZero() ? new CalcDecimal(0).toFixed(dp) : rounded.toFixed(dp);
}
