import {
  ASSESSED_STATUSES,
  INDICATOR_STATUSES,
  isIndicatorStatus,
  type AssessedStatus,
  type IndicatorStatus,
} from './vocabulary.js';

/** The computed outcome status suggestion and the number of indicators per status. */
export interface OutcomeStatusSuggestion {
  /** Worst assessed status; `no_data` / `not_assessable` when no indicator is assessable. */
  suggestion: IndicatorStatus;
  /** Count of indicators per status; every one of the six statuses is present (0 when none). */
  counts: Record<IndicatorStatus, number>;
}

/**
 * Suggests an outcome's status from the statuses of its indicators (DESIGN.md §5).
 *
 * The suggestion is the worst assessed status in the order
 * off_track < at_risk < on_track < exceeded. `no_data` and `not_assessable` indicators are left
 * out of that choice but counted. When no indicator is assessable the suggestion is `no_data` if
 * any indicator lacks data, else `not_assessable`; an empty list gives `not_assessable`.
 *
 * @param statuses the computed status of each indicator of the outcome (order does not matter)
 * @returns `{ suggestion, counts }`, counts keyed by all six statuses
 * @throws Error when an element is not one of the six statuses
 */
export function suggestOutcomeStatus(statuses: readonly IndicatorStatus[]): OutcomeStatusSuggestion {
  const counts = Object.fromEntries(INDICATOR_STATUSES.map((status) => [status, 0])) as Record<IndicatorStatus, number>;
  for (const status of statuses) {
    if (!isIndicatorStatus(status)) {
      throw new Error(
        `Invalid indicator status ${JSON.stringify(status)}: expected one of ${INDICATOR_STATUSES.join(', ')}`,
      );
    }
    counts[status] += 1;
  }
  const worst: AssessedStatus | undefined = ASSESSED_STATUSES.find((status) => counts[status] > 0);
  if (worst) return { suggestion: worst, counts };
  return { suggestion: counts.no_data > 0 ? 'no_data' : 'not_assessable', counts };
}
