/**
 * Indicator statuses (DESIGN.md §5).
 *
 * Assessed statuses come from achievement to date (or a qualitative rating); `no_data` means
 * nothing was reported up to the as-of date; `not_assessable` means data exists but cannot be
 * judged (no target ended by the evaluation date, no baseline for a `latest` indicator, ...).
 */
export type AssessedStatus = 'off_track' | 'at_risk' | 'on_track' | 'exceeded';

/** Every status an indicator evaluation can have. */
export type IndicatorStatus = AssessedStatus | 'no_data' | 'not_assessable';

/** Assessed statuses from worst to best: off_track < at_risk < on_track < exceeded. */
export const ASSESSED_STATUSES: readonly AssessedStatus[] = Object.freeze([
  'off_track',
  'at_risk',
  'on_track',
  'exceeded',
] as const);

/** All statuses, assessed ones first (worst to best), then `no_data`, `not_assessable`. */
export const INDICATOR_STATUSES: readonly IndicatorStatus[] = Object.freeze([
  ...ASSESSED_STATUSES,
  'no_data',
  'not_assessable',
] as const);

/** Whether `value` is one of the six indicator statuses. */
export function isIndicatorStatus(value: unknown): value is IndicatorStatus {
  return typeof value === 'string' && (INDICATOR_STATUSES as readonly string[]).includes(value);
}

/** Whether a status is one of the four assessed ones (not `no_data` / `not_assessable`). */
export function isAssessedStatus(value: unknown): value is AssessedStatus {
  return typeof value === 'string' && (ASSESSED_STATUSES as readonly string[]).includes(value);
}
