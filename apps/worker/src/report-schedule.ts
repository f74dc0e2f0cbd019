import { getNextMillis } from 'bullmq';
import { QUARTER_REPORTS_SCHEDULE } from '#libs/queue';
import {
  addDays,
  addQuarters,
  assertValidDate,
  type CalendarDate,
  isOnOrBefore,
  quarterOf,
  quarterRange,
  type QuarterNumber,
} from '#libs/calculations';

/** The quarter whose reports are due on a day, and the day its validation cut-off passed. */
export interface DueQuarter {
  year: number;
  quarter: QuarterNumber;
  /** Quarter end + cut-off days: from this day on the quarter's reports are due. */
  cutoffDate: CalendarDate;
}

/**
 * The latest calendar quarter whose validation cut-off (quarter end + `cutoffDays`) is `today` or
 * earlier: the quarter the daily schedule requests reports for. Calendar dates only (no `Date`), so
 * the process time zone never changes the answer.
 *
 * @example quarterDueForReports('2026-10-30', 30) // { year: 2026, quarter: 3, cutoffDate: '2026-10-30' }
 * @example quarterDueForReports('2026-10-29', 30) // { year: 2026, quarter: 2, cutoffDate: '2026-07-30' }
 * @throws Error when `today` is not a calendar date or `cutoffDays` is not an integer 0-3650
 */
export function quarterDueForReports(today: CalendarDate, cutoffDays: number): DueQuarter {
  assertValidDate(today, 'today');
  if (!Number.isInteger(cutoffDays) || cutoffDays < 0 || cutoffDays > 3650) {
    throw new Error(`Invalid cut-off ${cutoffDays}: expected an integer number of days 0-3650`);
  }
  // The quarter containing today cannot be due (its end is today or later); step back until the
  // cut-off has passed. At most cutoffDays / 90 + 2 steps.
  let ref = addQuarters(quarterOf(today), -1);
  for (;;) {
    const cutoffDate = addDays(quarterRange(ref.year, ref.quarter).end, cutoffDays);
    if (isOnOrBefore(cutoffDate, today)) return { year: ref.year, quarter: ref.quarter, cutoffDate };
    ref = addQuarters(ref, -1);
  }
}

/**
 * The next run of the quarterly-report schedule strictly after an instant, with BullMQ's own cron
 * evaluation (`getNextMillis`, cron-parser) in the schedule's time zone (UTC), as an ISO-8601 UTC string.
 *
 * @example nextScheduledRun('2026-10-30T01:59:59.999Z') // '2026-10-30T02:00:00.000Z'
 * @throws Error when `afterIso` is not an ISO-8601 instant with a zone (`Z` or `±hh:mm`)
 */
export function nextScheduledRun(
  afterIso: string,
  schedule: { pattern: string; tz: string } = QUARTER_REPORTS_SCHEDULE,
): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(afterIso)) {
    throw new Error(
      `Invalid instant ${JSON.stringify(afterIso)}: expected ISO-8601 with a zone, e.g. 2026-10-30T00:00:00Z`,
    );
  }
  const next = getNextMillis(Date.parse(afterIso), { pattern: schedule.pattern, tz: schedule.tz });
  if (next === undefined)
    throw new Error(`The schedule ${schedule.pattern} (${schedule.tz}) has no run after ${afterIso}`);
  return new Date(next).toISOString();
}

/** The UTC calendar date of an instant (default: now): the "today" of a scheduled run. */
export function utcDate(instantMs: number = Date.now()): CalendarDate {
  return new Date(instantMs).toISOString().slice(0, 10);
}

/**
 * When the schedule first requests a quarter's reports: the first run on or after the quarter's
 * cut-off day (00:00 UTC), and the quarter that run finds due (the same quarter).
 */
export function firstRunForQuarter(
  year: number,
  quarter: number,
  cutoffDays: number,
): { runAt: string; due: DueQuarter } {
  const cutoffDate = addDays(quarterRange(year, quarter).end, cutoffDays);
  const runAt = nextScheduledRun(`${addDays(cutoffDate, -1)}T23:59:59.999Z`);
  return { runAt, due: quarterDueForReports(utcDate(Date.parse(runAt)), cutoffDays) };
}
