import type { Decimal } from 'decimal.js';
import { CalcDecimal, toPlainString } from '#libs/calculations';
import type { ColumnOptions, ValueTransformer } from 'typeorm';

/**
 * Exact decimals: PostgreSQL `numeric` in the database, a normalised decimal string in code
 * (`'12.5'`, never a binary float). Compute with decimal.js; convert to a JSON number only at the API edge.
 */
export const decimalTransformer: ValueTransformer = {
  to: (value: string | Decimal | null | undefined) =>
    value === null || value === undefined ? value : toPlainString(new CalcDecimal(value)),
  from: (value: string | null) => (value === null ? null : toPlainString(new CalcDecimal(value))),
};

/** Column options for an exact decimal (`numeric` without fixed scale). */
export function decimalColumn(options: Partial<ColumnOptions> = {}): ColumnOptions {
  return { type: 'numeric', nullable: true, transformer: decimalTransformer, ...options } as ColumnOptions;
}

/**
 * Column options for a calendar date (`date`), held in code as `'YYYY-MM-DD'`.
 * The pg type parser installed by {@link installPgTypeParsers} keeps it a string.
 */
export function dateColumn(options: Partial<ColumnOptions> = {}): ColumnOptions {
  return { type: 'date', nullable: true, ...options } as ColumnOptions;
}
