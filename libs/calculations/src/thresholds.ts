import type { Decimal } from 'decimal.js';
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
  bandLimits(thresholds);
  return thresholds;
}

/** Band limits of thresholds already checked, by their text (a report evaluates every indicator with the same few). */
const CHECKED_LIMITS = new Map<string, { atRisk: Decimal; onTrack: Decimal; exceeded: Decimal }>();
const CHECKED_LIMITS_MAX = 1000;

/** The checked band limits of thresholds as decimals (see {@link validateThresholds}); remembered by their text. */
function bandLimits(thresholds: Thresholds): { atRisk: Decimal; onTrack: Decimal; exceeded: Decimal } {
  const { version, atRiskFrom, onTrackFrom, exceededAbove } = thresholds;
  const key =
    typeof version === 'number' &&
    typeof atRiskFrom === 'string' &&
    typeof onTrackFrom === 'string' &&
    typeof exceededAbove === 'string'
      ? `${version}\u0000${atRiskFrom}\u0000${onTrackFrom}\u0000${exceededAbove}`
      : null;
  const known = key === null ? undefined : CHECKED_LIMITS.get(key);
  if (known) return known;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new Error(`Invalid thresholds version ${String(version)}: expected a positive integer`);
  }
  const atRisk = parseDecimal(atRiskFrom, 'thresholds.atRiskFrom');
  const onTrack = parseDecimal(onTrackFrom, 'thresholds.onTrackFrom');
  const exceeded = parseDecimal(exceededAbove, 'thresholds.exceededAbove');
  if (atRisk.greaterThan(onTrack) || onTrack.greaterThan(exceeded)) {
    throw new Error(
      `Invalid thresholds (version ${version}): expected atRiskFrom <= onTrackFrom <= exceededAbove, ` +
        `got ${atRiskFrom}, ${onTrackFrom}, ${exceededAbove}`,
    );
  }
  const limits = { atRisk, onTrack, exceeded };
  if (key !== null) {
    if (CHECKED_LIMITS.size >= CHECKED_LIMITS_MAX) CHECKED_LIMITS.clear();
    CHECKED_LIMITS.set(key, limits);
  }
  return limits;
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
  const { atRisk, onTrack, exceeded } = bandLimits(thresholds);
  const value = parseDecimal(percent, 'achievement percent');
  if (value.lessThan(atRisk)) return 'off_track';
  if (value.lessThan(onTrack)) return 'at_risk';
  if (value.lessThanOrEqualTo(exceeded)) return 'on_track';
  return 'exceeded';
}
