import { CalcDecimal, type CalcDecimalValue, type Direction } from '#libs/calculations';

/**
 * The logframe rules checked both when a logframe is saved (plan-logframe.ts, indicator-values.ts:
 * field errors, the save refused) and by the QA checklist at submission (libs/approval checklist.ts:
 * one item per element): one pure predicate per rule, so the two can never disagree.
 */

/** The project's dates that bound every element's dates (calendar dates `YYYY-MM-DD`, or null when open). */
export interface ProjectDates {
  startDate: string | null;
  endDate: string | null;
}

/**
 * Rule "targets beyond the baseline" (DESIGN.md §2, §5): a target lies on the side of the baseline the
 * indicator's direction points to: strictly for the end target (`strict`), on that side or equal for
 * a period target. Any direction but `increase` counts as `decrease`.
 * @param value the target value, an exact decimal
 * @param baseline the baseline value, an exact decimal
 */
export function isBeyondBaseline(
  value: CalcDecimalValue | string,
  baseline: CalcDecimalValue | string,
  direction: Direction | string,
  strict: boolean,
): boolean {
  const cmp = new CalcDecimal(value).comparedTo(baseline);
  return direction === 'increase' ? (strict ? cmp > 0 : cmp >= 0) : strict ? cmp < 0 : cmp <= 0;
}

/**
 * Rule "period targets within the project's dates": where a period lies outside the project's dates
 * (an open project date bounds nothing). Dates `YYYY-MM-DD` compare in calendar order.
 */
export function periodOutsideProject(
  period: { periodStart: string; periodEnd: string },
  project: ProjectDates,
): { startsBefore: boolean; endsAfter: boolean } {
  return {
    startsBefore: Boolean(project.startDate && period.periodStart < project.startDate),
    endsAfter: Boolean(project.endDate && period.periodEnd > project.endDate),
  };
}

/** Whether a period lies within the project's dates (see {@link periodOutsideProject}). */
export function isPeriodWithinProject(
  period: { periodStart: string; periodEnd: string },
  project: ProjectDates,
): boolean {
  const outside = periodOutsideProject(period, project);
  return !outside.startsBefore && !outside.endsAfter;
}
