/**
 * Calendar dates and calendar quarters (DESIGN.md §4).
 *
 * A date is a calendar-date string `'YYYY-MM-DD'` (years 0001-9999), the same in every time zone.
 * Nothing here creates a `Date`: all arithmetic is done on the integer year/month/day parts
 * (day counts use the proleptic Gregorian calendar), so the process time zone (`TZ`) never
 * changes a result. Because the format is fixed-width, two valid dates compare like strings.
 */

/** A calendar date `'YYYY-MM-DD'`. */
export type CalendarDate = string;

/** A calendar quarter number: Q1 = January-March ... Q4 = October-December. */
export type QuarterNumber = 1 | 2 | 3 | 4;

/** A quarter of a year, e.g. `{ year: 2026, quarter: 4 }`. */
export interface QuarterRef {
  year: number;
  quarter: QuarterNumber;
}

/** An inclusive range of calendar dates: `start <= end`, both `'YYYY-MM-DD'`. */
export interface DateRange {
  start: CalendarDate;
  end: CalendarDate;
}

/** The integer parts of a calendar date (month 1-12, day 1-31). */
export interface DateParts {
  year: number;
  month: number;
  day: number;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const QUARTER_LABEL_PATTERN = /^(\d{4})-Q([1-4])$/;

/** Whether `year` is a leap year of the Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Number of days in a month.
 *
 * @param year 1-9999
 * @param month 1-12
 * @throws Error when year or month is out of range
 */
export function daysInMonth(year: number, month: number): number {
  assertYear(year);
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new Error(`Invalid month ${month}: expected an integer 1-12`);
  }
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Dates {@link parseDate} found valid (bounded: cleared when full). */
const VALID_DATES = new Map<string, Readonly<DateParts>>();
const VALID_DATES_MAX = 50_000;

/**
 * Splits a calendar date into its integer parts.
 *
 * @param date `'YYYY-MM-DD'`
 * @param label what the date is, used in the error message
 * @throws Error when the string is not a real calendar date (`'2026-13-01'`, `'2026-02-30'`,
 *   `'2026-1-5'`, a timestamp, ...)
 */
export function parseDate(date: string, label = 'date'): DateParts {
  // A report compares and shifts the same few hundred dates thousands of times: valid dates are
  // remembered (a copy is returned, so callers may change it).
  const known = typeof date === 'string' ? VALID_DATES.get(date) : undefined;
  if (known) return { year: known.year, month: known.month, day: known.day };
  const parts = parseDateUncached(date, label);
  if (VALID_DATES.size >= VALID_DATES_MAX) VALID_DATES.clear();
  VALID_DATES.set(date, parts);
  return { year: parts.year, month: parts.month, day: parts.day };
}

function parseDateUncached(date: string, label: string): DateParts {
  const match = typeof date === 'string' ? DATE_PATTERN.exec(date) : null;
  if (!match) {
    throw new Error(`Invalid ${label} ${JSON.stringify(date)}: expected a calendar date "YYYY-MM-DD"`);
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1) {
    throw new Error(`Invalid ${label} "${date}": year must be 0001-9999`);
  }
  if (month < 1 || month > 12) {
    throw new Error(`Invalid ${label} "${date}": month ${match[2]} is not 01-12`);
  }
  const monthDays = daysInMonth(year, month);
  if (day < 1 || day > monthDays) {
    throw new Error(`Invalid ${label} "${date}": day ${match[3]} is not 01-${monthDays} for ${match[1]}-${match[2]}`);
  }
  return { year, month, day };
}

/** Whether `date` is a valid calendar date `'YYYY-MM-DD'` (never throws). */
export function isValidDate(date: unknown): date is CalendarDate {
  if (typeof date !== 'string') return false;
  if (VALID_DATES.has(date)) return true;
  try {
    parseDate(date);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a calendar date and returns it unchanged.
 *
 * @throws Error naming `label` when `date` is not a valid `'YYYY-MM-DD'` date
 */
export function assertValidDate(date: string, label = 'date'): CalendarDate {
  parseDate(date, label);
  return date;
}

/**
 * Builds `'YYYY-MM-DD'` from integer parts.
 *
 * @throws Error when the parts are not a real date (e.g. 2026, 2, 30)
 */
export function formatDate(year: number, month: number, day: number): CalendarDate {
  assertYear(year);
  if (!Number.isInteger(month) || !Number.isInteger(day)) {
    throw new Error(`Invalid date parts ${year}-${month}-${day}: expected integers`);
  }
  const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  parseDate(text);
  return text;
}

/**
 * The first and last day of a calendar quarter.
 *
 * @example quarterRange(2026, 4) // { start: '2026-10-01', end: '2026-12-31' }
 * @throws Error when year is not an integer 1-9999 or quarter is not 1-4
 */
export function quarterRange(year: number, quarter: number): DateRange {
  assertQuarter(year, quarter);
  const firstMonth = (quarter - 1) * 3 + 1;
  const lastMonth = firstMonth + 2;
  return {
    start: formatDate(year, firstMonth, 1),
    end: formatDate(year, lastMonth, daysInMonth(year, lastMonth)),
  };
}

/**
 * The calendar quarter containing a date.
 *
 * @example quarterOf('2026-11-05') // { year: 2026, quarter: 4 }
 * @throws Error when `date` is not a valid `'YYYY-MM-DD'` date
 */
export function quarterOf(date: CalendarDate): QuarterRef {
  const { year, month } = parseDate(date);
  return { year, quarter: (Math.floor((month - 1) / 3) + 1) as QuarterNumber };
}

/**
 * The label of a quarter.
 *
 * @example quarterLabel(2026, 4) // '2026-Q4'
 * @throws Error when year is not an integer 1-9999 or quarter is not 1-4
 */
export function quarterLabel(year: number, quarter: number): string {
  assertQuarter(year, quarter);
  return `${pad(year, 4)}-Q${quarter}`;
}

/**
 * Parses a quarter label.
 *
 * @example parseQuarterLabel('2026-Q4') // { year: 2026, quarter: 4 }
 * @throws Error when the label is not `'YYYY-Qn'` with n 1-4
 */
export function parseQuarterLabel(label: string): QuarterRef {
  const match = typeof label === 'string' ? QUARTER_LABEL_PATTERN.exec(label) : null;
  if (!match || Number(match[1]) < 1) {
    throw new Error(`Invalid quarter label ${JSON.stringify(label)}: expected "YYYY-Qn" with n 1-4`);
  }
  return { year: Number(match[1]), quarter: Number(match[2]) as QuarterNumber };
}

/**
 * The quarter `n` quarters after (negative: before) the given one.
 *
 * @example addQuarters({ year: 2026, quarter: 4 }, 1) // { year: 2027, quarter: 1 }
 * @throws Error on an invalid quarter, a non-integer `n` or a result outside years 1-9999
 */
export function addQuarters(ref: QuarterRef, n: number): QuarterRef {
  assertQuarter(ref.year, ref.quarter);
  assertInteger(n, 'quarter count');
  const index = ref.year * 4 + (ref.quarter - 1) + n;
  const year = Math.floor(index / 4);
  assertYear(year);
  return { year, quarter: ((index % 4) + 1) as QuarterNumber };
}

/**
 * Adds `n` days (negative: subtracts) to a date.
 *
 * @example addDays('2026-12-31', 1) // '2027-01-01'
 * @throws Error on an invalid date, a non-integer `n` or a result outside years 1-9999
 */
export function addDays(date: CalendarDate, n: number): CalendarDate {
  const parts = parseDate(date);
  assertInteger(n, 'day count');
  const result = civilFromDays(daysFromCivil(parts) + n);
  return formatDate(result.year, result.month, result.day);
}

/**
 * Adds `n` calendar months (negative: subtracts); a day that does not exist in the target month
 * is clamped to its last day.
 *
 * @example addMonths('2026-01-31', 1) // '2026-02-28'
 * @example addMonths('2026-09-30', 3) // '2026-12-30' (see addMonthsKeepingMonthEnd)
 * @throws Error on an invalid date, a non-integer `n` or a result outside years 1-9999
 */
export function addMonths(date: CalendarDate, n: number): CalendarDate {
  const { year, month, day } = parseDate(date);
  assertInteger(n, 'month count');
  const index = year * 12 + (month - 1) + n;
  const newYear = Math.floor(index / 12);
  const newMonth = (index % 12) + 1;
  assertYear(newYear);
  return formatDate(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
}

/**
 * Like `addMonths`, but a date on the last day of its month lands on the last day of the target
 * month, so period ends stay period ends: `'2026-09-30'` + 3 → `'2026-12-31'`,
 * `'2026-02-28'` + 1 → `'2026-03-31'`. Other dates behave as in `addMonths`.
 *
 * @throws Error on an invalid date, a non-integer `n` or a result outside years 1-9999
 */
export function addMonthsKeepingMonthEnd(date: CalendarDate, n: number): CalendarDate {
  const { year, month, day } = parseDate(date);
  const shifted = addMonths(date, n);
  if (day !== daysInMonth(year, month)) return shifted;
  const target = parseDate(shifted);
  return formatDate(target.year, target.month, daysInMonth(target.year, target.month));
}

/**
 * Number of days from `from` to `to` (negative when `to` is earlier).
 *
 * @example daysBetween('2026-12-31', '2027-01-30') // 30
 * @throws Error when either date is invalid
 */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return daysFromCivil(parseDate(to, 'to')) - daysFromCivil(parseDate(from, 'from'));
}

/**
 * Compares two dates: -1 when `a` is earlier, 0 when equal, 1 when later.
 *
 * @throws Error when either date is invalid
 */
export function compareDates(a: CalendarDate, b: CalendarDate): -1 | 0 | 1 {
  parseDate(a);
  parseDate(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Orders periods by end date, then start date (earliest first): a sort comparator for period targets
 * and actuals. Dates are compared as fixed-width `YYYY-MM-DD` strings without parsing (the hot path of
 * report builds); pass valid calendar dates.
 *
 * @example [{ periodStart: '2026-04-01', periodEnd: '2026-06-30' }, { periodStart: '2026-01-01', periodEnd: '2026-06-30' }].sort(byPeriodEnd) // Jan–Jun first
 */
export function byPeriodEnd(
  a: { periodStart: CalendarDate; periodEnd: CalendarDate },
  b: { periodStart: CalendarDate; periodEnd: CalendarDate },
): -1 | 0 | 1 {
  if (a.periodEnd !== b.periodEnd) return a.periodEnd < b.periodEnd ? -1 : 1;
  if (a.periodStart !== b.periodStart) return a.periodStart < b.periodStart ? -1 : 1;
  return 0;
}

/** `a` is strictly earlier than `b`. @throws Error when either date is invalid */
export function isBefore(a: CalendarDate, b: CalendarDate): boolean {
  return compareDates(a, b) < 0;
}

/** `a` is strictly later than `b`. @throws Error when either date is invalid */
export function isAfter(a: CalendarDate, b: CalendarDate): boolean {
  return compareDates(a, b) > 0;
}

/** `a` is `b` or earlier. @throws Error when either date is invalid */
export function isOnOrBefore(a: CalendarDate, b: CalendarDate): boolean {
  return compareDates(a, b) <= 0;
}

/** `a` is `b` or later. @throws Error when either date is invalid */
export function isOnOrAfter(a: CalendarDate, b: CalendarDate): boolean {
  return compareDates(a, b) >= 0;
}

/** The later of two dates. @throws Error when either date is invalid */
export function maxDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return compareDates(a, b) >= 0 ? a : b;
}

/** The earlier of two dates. @throws Error when either date is invalid */
export function minDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return compareDates(a, b) <= 0 ? a : b;
}

/**
 * Whether `date` lies in the inclusive range.
 *
 * @throws Error when a date is invalid or the range ends before it starts
 */
export function isWithinRange(date: CalendarDate, range: DateRange): boolean {
  assertValidRange(range);
  return isOnOrAfter(date, range.start) && isOnOrBefore(date, range.end);
}

/**
 * Whether `start`..`end` is a valid range (two valid dates, `start <= end`), without throwing: the
 * check {@link assertValidRange} makes, for loops over many rows that build an error label only on failure.
 */
export function isValidRange(start: unknown, end: unknown): boolean {
  return isValidDate(start) && isValidDate(end) && (start as string) <= (end as string);
}

/**
 * Checks that a range has valid dates and `start <= end`.
 *
 * @throws Error naming `label` otherwise
 */
export function assertValidRange(range: DateRange, label = 'period'): DateRange {
  if (!VALID_DATES.has(range.start)) parseDate(range.start, `${label} start`);
  if (!VALID_DATES.has(range.end)) parseDate(range.end, `${label} end`);
  if (range.start > range.end) {
    throw new Error(`Invalid ${label}: start ${range.start} is after end ${range.end}`);
  }
  return range;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function assertInteger(n: number, label: string): void {
  if (!Number.isSafeInteger(n)) {
    throw new Error(`Invalid ${label} ${n}: expected an integer`);
  }
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 1 || year > 9999) {
    throw new Error(`Invalid year ${year}: expected an integer 1-9999`);
  }
}

function assertQuarter(year: number, quarter: number): void {
  assertYear(year);
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) {
    throw new Error(`Invalid quarter ${quarter}: expected 1, 2, 3 or 4`);
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil({ year, month, day }: DateParts): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Inverse of `daysFromCivil`. */
function civilFromDays(days: number): DateParts {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}
