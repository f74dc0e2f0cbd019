/**
 * The RBM vocabularies the calculations and the rest of the product share (DESIGN.md §2, §4, §5),
 * declared once here. The database stores each as a PostgreSQL enum type of the same name in
 * snake_case (libs/database re-exports these lists for its entities); the API, the checklist, the
 * IATI import and the web app validate against the same lists.
 */

/** How an indicator is measured (DESIGN.md §2; IATI 2.03 indicator/@measure 1→number, 2→percentage, 4→ordinal, 5→qualitative). */
export const MEASURES = ['number', 'percentage', 'ordinal', 'qualitative'] as const;
export type Measure = (typeof MEASURES)[number];

/** The measures with numeric values (all but `qualitative`). */
export const QUANTITATIVE_MEASURES = ['number', 'percentage', 'ordinal'] as const;

/** Whether higher (`increase`) or lower (`decrease`) values are better. */
export const DIRECTIONS = ['increase', 'decrease'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Aggregation over time (DESIGN.md §5): `sum` adds period results, `latest` takes the latest level or running total. */
export const AGGREGATIONS = ['sum', 'latest'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** How often an indicator's data is collected. */
export const COLLECTION_FREQUENCIES = ['quarterly', 'semi_annual', 'annual', 'end_of_project'] as const;
export type CollectionFrequency = (typeof COLLECTION_FREQUENCIES)[number];

/** "Leave no one behind" target groups of a project (DESIGN.md §2). */
export const LNOB_GROUPS = [
  'women',
  'children',
  'youth',
  'older_persons',
  'persons_with_disabilities',
  'people_who_use_drugs',
  'prisoners',
  'migrants',
  'refugees',
  'victims',
  'indigenous_peoples',
  'other',
] as const;
export type LnobGroup = (typeof LNOB_GROUPS)[number];

/** Milestone rating of a qualitative indicator's period report. */
export const MILESTONE_RATINGS = ['achieved', 'partly_achieved', 'not_achieved'] as const;
export type MilestoneRating = (typeof MILESTONE_RATINGS)[number];

/** Manager's rating of an outcome in a quarter (DESIGN.md §4). */
export const OUTCOME_RATINGS = ['on_track', 'at_risk', 'off_track'] as const;
export type OutcomeRating = (typeof OUTCOME_RATINGS)[number];

/** Quarterly progress workflow (DESIGN.md §4). */
export const PROGRESS_STATUSES = ['draft', 'submitted', 'validated', 'returned'] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

/**
 * Indicator statuses (DESIGN.md §5). Assessed statuses come from achievement to date (or a
 * qualitative rating), from worst to best: off_track < at_risk < on_track < exceeded.
 */
export const ASSESSED_STATUSES = Object.freeze(['off_track', 'at_risk', 'on_track', 'exceeded'] as const);
export type AssessedStatus = (typeof ASSESSED_STATUSES)[number];

/**
 * All statuses, assessed ones first (worst to best), then `no_data` (nothing reported up to the
 * as-of date) and `not_assessable` (data exists but cannot be judged: no target ended by the
 * evaluation date, no baseline for a `latest` indicator, ...).
 */
export const INDICATOR_STATUSES = Object.freeze([...ASSESSED_STATUSES, 'no_data', 'not_assessable'] as const);
export type IndicatorStatus = (typeof INDICATOR_STATUSES)[number];

/** Whether `value` is one of the six indicator statuses. */
export function isIndicatorStatus(value: unknown): value is IndicatorStatus {
  return typeof value === 'string' && (INDICATOR_STATUSES as readonly string[]).includes(value);
}

/** Whether a status is one of the four assessed ones (not `no_data` / `not_assessable`). */
export function isAssessedStatus(value: unknown): value is AssessedStatus {
  return typeof value === 'string' && (ASSESSED_STATUSES as readonly string[]).includes(value);
}

/** Whether `value` is one of `list` (a vocabulary above): a type guard for untrusted input. */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
