import { CalcDecimal } from '#libs/calculations';
import type { Plain } from '#libs/common';

export type { Plain } from '#libs/common';

/**
 * Reading one spreadsheet cell as the type a column expects. Each reader returns the value, or a
 * message saying why the cell cannot be used (the caller reports it with the cell's address).
 */
export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const fail = <T>(message: string): Read<T> => ({ ok: false, message });

/** Whether the cell holds nothing (or only spaces). */
export function isBlank(v: Plain): boolean {
  return v === null || (typeof v === 'string' && v.trim() === '');
}

const show = (v: Plain) =>
  v instanceof Date
    ? isoDate(v)
    : typeof v === 'object' && v !== null
      ? 'error' in v
        ? v.error
        : `=${v.formula}`
      : String(v);

/** The message for a formula cell without a stored result (see {@link Plain}). */
function formulaWithoutResult(v: { formula: string }): string {
  return `holds the formula =${v.formula} without a computed result: open the workbook in Excel or LibreOffice and save it (so the result is stored), or type the value`;
}

const isFormula = (v: Plain): v is { formula: string } => typeof v === 'object' && v !== null && 'formula' in v;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Calendar date `YYYY-MM-DD` of a spreadsheet date (stored as UTC midnight by Excel readers). */
export function isoDate(d: Date): string {
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** The date a workbook stores for calendar date `YYYY-MM-DD` (UTC midnight, so no time zone shifts it). */
export function excelDate(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function validIso(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = excelDate(text);
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() + 1 === Number(m[2]) && d.getUTCDate() === Number(m[3]);
}

/** Free text: numbers and dates typed into a text cell are taken as written; empty → null. */
export function readText(v: Plain): Read<string | null> {
  if (isBlank(v)) return ok(null);
  if (isFormula(v)) return fail(formulaWithoutResult(v));
  if (typeof v === 'object' && v !== null && !(v instanceof Date)) return fail(`the cell holds the error ${v.error}`);
  return ok(v instanceof Date ? isoDate(v) : String(v));
}

/** A code or identifier: trimmed text. */
export function readCode(v: Plain): Read<string | null> {
  const text = readText(v);
  return text.ok && text.value !== null ? ok(text.value.trim()) : text;
}

/**
 * An exact decimal as a string. A number cell is taken as stored (a cell formatted as a percentage,
 * where Excel stores 45 % as 0.45, is read back on the 0–100 scale: 45); a text cell must be a
 * plain decimal like `12.5`.
 */
export function readNumber(v: Plain, percentFormat = false): Read<string | null> {
  if (isBlank(v)) return ok(null);
  if (isFormula(v)) return fail(formulaWithoutResult(v));
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return fail(`'${v}' is not a number`);
    const d = new CalcDecimal(v);
    return ok((percentFormat ? d.times(100) : d).toFixed());
  }
  if (typeof v === 'string') {
    const text = v.trim().replace(/[\u00a0\u202f ]/g, '');
    if (DECIMAL.test(text)) return ok(new CalcDecimal(text).toFixed());
  }
  return fail(`'${show(v)}' is not a number`);
}

/** A whole number (a year). */
export function readInteger(v: Plain): Read<number | null> {
  const n = readNumber(v);
  if (!n.ok || n.value === null) return n as Read<null>;
  if (!/^-?\d+$/.test(n.value)) return fail(`'${show(v)}' is not a whole number`);
  return ok(Number(n.value));
}

/**
 * A calendar date `YYYY-MM-DD`: a date cell, a text `YYYY-MM-DD`, or an Excel date serial number
 * between 1990 and 2100 (a date cell that lost its date format).
 */
export function readDate(v: Plain, date1904 = false): Read<string | null> {
  if (isBlank(v)) return ok(null);
  if (isFormula(v)) return fail(formulaWithoutResult(v));
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? fail('is not a valid date') : ok(isoDate(v));
  if (typeof v === 'string' && validIso(v.trim())) return ok(v.trim());
  if (typeof v === 'number' && v >= 32874 && v <= 73415) {
    const serial = Math.floor(v) + (date1904 ? 1462 : 0);
    return ok(isoDate(new Date(Date.UTC(1899, 11, 30) + serial * 86400000)));
  }
  return fail(`'${show(v)}' is not a date: enter a date, or text YYYY-MM-DD`);
}

/**
 * One value of a list (`semi_annual`): matched ignoring case, and spaces or dashes for underscores
 * (`Semi-annual`, `end of project`).
 */
export function readEnum<T extends string>(v: Plain, values: readonly T[]): Read<T | null> {
  const text = readCode(v);
  if (!text.ok || text.value === null) return text as Read<null>;
  const norm = text.value.toLowerCase().replace(/[\s-]+/g, '_');
  const found = values.find((x) => x === norm);
  return found ? ok(found) : fail(`'${text.value}' is not one of: ${values.join(', ')}`);
}

/** A decimal string as the number a cell stores when the double holds it exactly; else the text (read back exactly). */
export function numberCell(value: string | null | undefined): number | string | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) && new CalcDecimal(n).equals(new CalcDecimal(value)) ? n : value;
}
