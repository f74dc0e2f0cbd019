import { describe, it, expect } from '@jest/globals';
import {
  addDays,
  addMonths,
  addMonthsKeepingMonthEnd,
  addQuarters,
  assertValidDate,
  assertValidRange,
  byPeriodEnd,
  compareDates,
  daysBetween,
  daysInMonth,
  formatDate,
  isAfter,
  isBefore,
  isLeapYear,
  isOnOrAfter,
  isOnOrBefore,
  isValidDate,
  isWithinRange,
  maxDate,
  minDate,
  parseDate,
  parseQuarterLabel,
  quarterLabel,
  quarterOf,
  quarterRange,
} from './reporting-period.js';

describe('quarterRange', () => {
  it('gives 2026-10-01..2026-12-31 for Q4 2026', () => {
    expect(quarterRange(2026, 4)).toEqual({ start: '2026-10-01', end: '2026-12-31' });
  });

  it('gives every quarter of a year, calendar quarters with Q1 = Jan-Mar', () => {
    expect(quarterRange(2026, 1)).toEqual({ start: '2026-01-01', end: '2026-03-31' });
    expect(quarterRange(2026, 2)).toEqual({ start: '2026-04-01', end: '2026-06-30' });
    expect(quarterRange(2026, 3)).toEqual({ start: '2026-07-01', end: '2026-09-30' });
  });

  it('rejects quarters outside 1-4 and bad years', () => {
    expect(() => quarterRange(2026, 0)).toThrow('Invalid quarter 0');
    expect(() => quarterRange(2026, 5)).toThrow('Invalid quarter 5');
    expect(() => quarterRange(2026, 1.5)).toThrow('Invalid quarter');
    expect(() => quarterRange(0, 1)).toThrow('Invalid year 0');
    expect(() => quarterRange(10000, 1)).toThrow('Invalid year');
  });
});

describe('quarterOf / quarterLabel / parseQuarterLabel / addQuarters', () => {
  it('finds the quarter containing a date', () => {
    expect(quarterOf('2026-11-05')).toEqual({ year: 2026, quarter: 4 });
    expect(quarterOf('2026-01-01')).toEqual({ year: 2026, quarter: 1 });
    expect(quarterOf('2026-03-31')).toEqual({ year: 2026, quarter: 1 });
    expect(quarterOf('2026-04-01')).toEqual({ year: 2026, quarter: 2 });
    expect(quarterOf('2026-09-30')).toEqual({ year: 2026, quarter: 3 });
    expect(quarterOf('2026-12-31')).toEqual({ year: 2026, quarter: 4 });
  });

  it('is consistent with quarterRange for every month', () => {
    for (let month = 1; month <= 12; month += 1) {
      const date = formatDate(2027, month, 15);
      const { year, quarter } = quarterOf(date);
      const range = quarterRange(year, quarter);
      expect(isWithinRange(date, range)).toBe(true);
    }
  });

  it('labels and parses quarters', () => {
    expect(quarterLabel(2026, 4)).toBe('2026-Q4');
    expect(quarterLabel(987, 1)).toBe('0987-Q1');
    expect(parseQuarterLabel('2026-Q4')).toEqual({ year: 2026, quarter: 4 });
    expect(() => parseQuarterLabel('2026-Q5')).toThrow('Invalid quarter label "2026-Q5"');
    expect(() => parseQuarterLabel('2026Q4')).toThrow('Invalid quarter label');
    expect(() => quarterLabel(2026, 7)).toThrow('Invalid quarter 7');
  });

  it('moves across year boundaries', () => {
    expect(addQuarters({ year: 2026, quarter: 4 }, 1)).toEqual({ year: 2027, quarter: 1 });
    expect(addQuarters({ year: 2026, quarter: 1 }, -1)).toEqual({ year: 2025, quarter: 4 });
    expect(addQuarters({ year: 2026, quarter: 2 }, 11)).toEqual({ year: 2029, quarter: 1 });
    expect(addQuarters({ year: 2026, quarter: 2 }, 0)).toEqual({ year: 2026, quarter: 2 });
  });
});

describe('date validation', () => {
  it('rejects malformed or impossible dates with a clear error', () => {
    expect(() => parseDate('2026-13-01')).toThrow('Invalid date "2026-13-01": month 13 is not 01-12');
    expect(() => parseDate('2026-02-30')).toThrow('Invalid date "2026-02-30": day 30 is not 01-28 for 2026-02');
    expect(() => parseDate('2026-00-10')).toThrow('month 00');
    expect(() => parseDate('2026-04-31')).toThrow('day 31 is not 01-30');
    expect(() => parseDate('2026-1-5')).toThrow('expected a calendar date "YYYY-MM-DD"');
    expect(() => parseDate('2026-01-05T00:00:00Z')).toThrow('expected a calendar date');
    expect(() => parseDate('0000-01-01')).toThrow('year must be 0001-9999');
    expect(() => assertValidDate('2026-02-29', 'asOf')).toThrow('Invalid asOf "2026-02-29"');
  });

  it('knows leap years', () => {
    expect(isLeapYear(2024)).toBe(true);
    expect(isLeapYear(2026)).toBe(false);
    expect(isLeapYear(1900)).toBe(false);
    expect(isLeapYear(2000)).toBe(true);
    expect(parseDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(() => daysInMonth(2026, 13)).toThrow('Invalid month 13');
  });

  it('has a non-throwing check', () => {
    expect(isValidDate('2026-12-31')).toBe(true);
    expect(isValidDate('2026-02-30')).toBe(false);
    expect(isValidDate(20261231)).toBe(false);
  });

  it('formats parts and refuses impossible ones', () => {
    expect(formatDate(2026, 3, 5)).toBe('2026-03-05');
    expect(() => formatDate(2026, 2, 30)).toThrow('Invalid date "2026-02-30"');
    expect(() => formatDate(2026, 1.5, 3)).toThrow('expected integers');
  });

  it('checks ranges', () => {
    expect(assertValidRange({ start: '2026-01-01', end: '2026-01-01' })).toEqual({
      start: '2026-01-01',
      end: '2026-01-01',
    });
    expect(() => assertValidRange({ start: '2026-02-01', end: '2026-01-31' }, 'actual')).toThrow(
      'Invalid actual: start 2026-02-01 is after end 2026-01-31',
    );
    expect(() => assertValidRange({ start: '2026-02-01', end: '2026-02-31' })).toThrow(
      'Invalid period end "2026-02-31"',
    );
  });
});

describe('addDays', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 30)).toBe('2027-01-30');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
    expect(addDays('2024-01-01', 366)).toBe('2025-01-01');
    expect(addDays('2026-06-15', 0)).toBe('2026-06-15');
    // 2000-03-01 - 1 day: 2000 is a leap year (divisible by 400)
    expect(addDays('2000-03-01', -1)).toBe('2000-02-29');
    expect(addDays('1900-03-01', -1)).toBe('1900-02-28');
  });

  it('agrees with UTC date arithmetic over a long span', () => {
    // Cross-check the integer algorithm with Date.UTC (UTC, so independent of the time zone).
    for (let n = -800; n <= 800; n += 37) {
      const expected = new Date(Date.UTC(2026, 0, 15) + n * 86_400_000).toISOString().slice(0, 10);
      expect(addDays('2026-01-15', n)).toBe(expected);
    }
  });

  it('counts days between dates', () => {
    expect(daysBetween('2026-12-31', '2027-01-30')).toBe(30);
    expect(daysBetween('2027-01-30', '2026-12-31')).toBe(-30);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('rejects non-integer counts and results outside 0001-9999', () => {
    expect(() => addDays('2026-01-01', 1.5)).toThrow('Invalid day count 1.5');
    expect(() => addDays('9999-12-31', 1)).toThrow('Invalid year 10000');
    expect(() => addDays('2026-02-30', 1)).toThrow('Invalid date "2026-02-30"');
  });
});

describe('addMonths', () => {
  it('clamps to the end of shorter months', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonths('2026-09-30', 3)).toBe('2026-12-30');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
  });

  it('moves across years both ways', () => {
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-05-10', -29)).toBe('2023-12-10');
    expect(addMonths('2026-05-10', 0)).toBe('2026-05-10');
  });

  it('keeps month ends as month ends when asked', () => {
    expect(addMonthsKeepingMonthEnd('2026-09-30', 3)).toBe('2026-12-31');
    expect(addMonthsKeepingMonthEnd('2026-02-28', 1)).toBe('2026-03-31');
    expect(addMonthsKeepingMonthEnd('2026-06-30', 6)).toBe('2026-12-31');
    expect(addMonthsKeepingMonthEnd('2026-12-31', 2)).toBe('2027-02-28');
    expect(addMonthsKeepingMonthEnd('2026-01-15', 3)).toBe('2026-04-15');
    expect(addMonthsKeepingMonthEnd('2024-02-28', 12)).toBe('2025-02-28'); // not a month end in 2024
  });

  it('rejects non-integer counts', () => {
    expect(() => addMonths('2026-01-01', 0.5)).toThrow('Invalid month count 0.5');
  });
});

describe('comparisons', () => {
  it('orders dates', () => {
    expect(compareDates('2026-01-01', '2026-01-02')).toBe(-1);
    expect(compareDates('2026-01-02', '2026-01-02')).toBe(0);
    expect(compareDates('2027-01-01', '2026-12-31')).toBe(1);
    expect(isBefore('2026-01-01', '2026-01-02')).toBe(true);
    expect(isBefore('2026-01-02', '2026-01-02')).toBe(false);
    expect(isAfter('2026-01-03', '2026-01-02')).toBe(true);
    expect(isOnOrBefore('2026-01-02', '2026-01-02')).toBe(true);
    expect(isOnOrAfter('2026-01-01', '2026-01-02')).toBe(false);
    expect(maxDate('2026-01-01', '2025-12-31')).toBe('2026-01-01');
    expect(minDate('2026-01-01', '2025-12-31')).toBe('2025-12-31');
    expect(isWithinRange('2026-12-31', quarterRange(2026, 4))).toBe(true);
    expect(isWithinRange('2027-01-01', quarterRange(2026, 4))).toBe(false);
  });

  it('validates before comparing', () => {
    expect(() => compareDates('2026-13-01', '2026-01-01')).toThrow('month 13');
    expect(() => isBefore('2026-01-01', 'tomorrow')).toThrow('expected a calendar date');
  });
});

describe('byPeriodEnd', () => {
  it('orders periods by end date, then start date, earliest first', () => {
    const q2 = { periodStart: '2026-04-01', periodEnd: '2026-06-30' };
    const h1 = { periodStart: '2026-01-01', periodEnd: '2026-06-30' };
    const q1 = { periodStart: '2026-01-01', periodEnd: '2026-03-31' };
    const nextYear = { periodStart: '2026-10-01', periodEnd: '2027-01-31' };
    // Same end (2026-06-30): the earlier start (January, the half year) comes first.
    expect([nextYear, q2, h1, q1].sort(byPeriodEnd)).toEqual([q1, h1, q2, nextYear]);
    expect(byPeriodEnd(q2, { ...q2 })).toBe(0);
  });
});
