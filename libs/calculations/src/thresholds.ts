import { parseDecimal } from './decimal.js';
import type { AssessedStatus } from './vocabulary.js';

/**
 * Status thresholds, an organisation setting recorded (by `version`) in every report.
 *
 * Percent values on a 0-100 scale, as decimal strings. Bands are half-open:
 * achievement < `atRiskFrom` → off_track; `atRiskFrom` <= a < `onTrackFrom` → at_risk;
 * `onTrackFrom` <= a <= `exceededAbove` → on_track; a > `exceededAbove` → exceeded.
 */
export interface Thresholds {
  /** Version of the setting (a positive integer), recorded in reports and fingerprints. */
  version: number;
  /** Lowest achievement percent that is at_risk rather than off_track (default '50'). */
  atRiskFrom: string;
  /** Lowest achievement percent that is on_track (default '85'). */
  onTrackFrom: string;
  /** Highest achievement percent that is still on_track; above it is exceeded (default '115'). */
  exceededAbove: string;
}

/** The default thresholds of DESIGN.md §5: 50 %, 85 %, 115 %, version 1. */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  version: 1,
  atRiskFrom: '50',
  onTrackFrom: '85',
  exceededAbove: '115',
});

/**
 * Checks a thresholds setting and returns it unchanged.
 *
 * @throws Error when `version` is not a positive integer, a percent is not a decimal string, or
 *   the percents are not ordered `atRiskFrom <= onTrackFrom <= exceededAbove`
 */
export function validateThresholds(thresholds: Thresholds): Thresholds {
  if (!thresholds || typeof thresholds !== 'object') {
    throw new Error('Invalid thresholds: expected { version, atRiskFrom, onTrackFrom, exceededAbove }');
  }
  if (!Number.isSafeInteger(thresholds.version) || thresholds.version < 1) {
    throw new Error(`Invalid thresholds version ${String(thresholds.version)}: expected a positive integer`);
  }
  const atRisk = parseDecimal(thresholds.atRiskFrom, 'thresholds.atRiskFrom');
  const onTrack = parseDecimal(thresholds.onTrackFrom, 'thresholds.onTrackFrom');
  const exceeded = parseDecimal(thresholds.exceededAbove, 'thresholds.exceededAbove');
  if (atRisk.greaterThan(onTrack) || onTrack.greaterThan(exceeded)) {
    throw new Error(
      `Invalid thresholds (version ${thresholds.version}): expected atRiskFrom <= onTrackFrom <= exceededAbove, ` +
        `got ${thresholds.atRiskFrom}, ${thresholds.onTrackFrom}, ${thresholds.exceededAbove}`,
    );
  }
  return thresholds;
}

/**
 * The status band of an achievement percent.
 *
 * @param percent achievement to date on a 0-100 scale, as an exact decimal string (may be
 *   negative, e.g. '-25' when the actual moved away from the target, or above 100)
 * @param thresholds band limits (defaults 50 / 85 / 115)
 * @returns `off_track` below `atRiskFrom`; `at_risk` from `atRiskFrom` up to (not including)
 *   `onTrackFrom`; `on_track` from `onTrackFrom` up to and including `exceededAbove`;
 *   `exceeded` above `exceededAbove`
 * @throws Error when `percent` is not a decimal string or the thresholds are invalid
 */
export function statusFromAchievement(percent: string, thresholds: Thresholds = DEFAULT_THRESHOLDS): AssessedStatus {
  validateThresholds(thresholds);
  const value = parseDecimal(percent, 'achievement percent');
  if (value.lessThan(parseDecimal(thresholds.atRiskFrom))) return 'off_track';
  if (value.lessThan(parseDecimal(thresholds.onTrackFrom))) return 'at_risk';
  if (value.lessThanOrEqualTo(parseDecimal(thresholds.exceededAbove))) return 'on_track';
  return 'exceeded';
}
