import type { Decimal } from 'decimal.js';
import { CalcDecimal, parseDecimal, toPlainString } from './decimal.js';
import type { Fraction } from './indicator-evaluation.js';
import { INDICATOR_STATUSES, isIndicatorStatus, MEASURES, type IndicatorStatus, type Measure } from './vocabulary.js';
import { DEFAULT_THRESHOLDS, statusFromAchievement, validateThresholds, type Thresholds } from './thresholds.js';

/**
 * Roll-ups across projects (programme, donor, portfolio; DESIGN.md §5 "Roll-ups").
 *
 * Rules implemented here:
 * - Values are combined only across indicators mapped to the same standard indicator. An
 *   indicator without a standard indicator is returned on its own (`not_mapped`), never combined.
 * - `number`: each project's own to-date value (whatever its aggregation over time) is added,
 *   exactly; so are the targets to date and the baselines used (b: the baseline for `latest`, 0 for
 *   `sum`).
 * - `percentage`: pooled, Σnumerator / Σdenominator of the actuals. A project whose percentage has
 *   no numerator/denominator (e.g. an imported level) cannot be pooled: the group gets no combined
 *   value and the reason names the project(s). Percentages are never added or averaged. The
 *   combined target is the pooled target pair when every target has one, else the
 *   denominator-weighted target Σ(targetᵢ × denᵢ)/Σdenᵢ with each project's actual denominator;
 *   the combined baseline alike (pooled baseline pairs, else weighted by the actual denominators).
 * - `ordinal` and `qualitative`: never combined; the group carries status counts only.
 * - Guards: indicators of different measures, or of different units, under one standard
 *   indicator are not combined (reason given).
 * - Combined achievement = 100 · (A − B)/(T − B) with the combined baseline B, as a project's
 *   evaluation does, only when the same projects contribute to both sides and every contributor
 *   has a baseline (else only status counts are given); null when T = B or a side is missing.
 *   The combined status is the thresholds' band of that achievement.
 *
 * The result does not depend on the order of the inputs: groups are sorted by standard indicator
 * id, projects by project code, project id and indicator id, and sums are exact.
 */

/** One project's indicator, already evaluated (see `evaluateIndicator`), as input to `rollUp`. */
export interface RollUpInput {
  projectId: string;
  /** The project's code, used to name projects in reasons and notes. */
  projectCode: string;
  indicatorId: string;
  /** The standard (corporate) indicator it maps to; null when not mapped (never combined). */
  standardIndicatorId: string | null;
  measure: Measure;
  /** Actual to date (decimal string; a percent 0-100 for percentages; text for qualitative), or null. */
  actualToDate: string | null;
  /** Percentages: the numerator/denominator behind `actualToDate` (null when it has none). */
  actualToDateFraction: Fraction | null;
  /** Target to date (decimal string; a percent 0-100 for percentages; text for qualitative), or null. */
  targetToDate: string | null;
  /** Percentages: the numerator/denominator of the target to date, when known (needed to pool targets). */
  targetToDateFraction?: Fraction | null;
  /**
   * b of the indicator's evaluation (`baselineUsed`): the baseline for `latest`, '0' for `sum`
   * (decimal string; a percent 0-100 for percentages); null when it has none.
   */
  baselineUsed: string | null;
  /** Percentages on `latest`: the baseline's numerator/denominator when known (pools baselines). */
  baselineFraction?: Fraction | null;
  /** The indicator's unit (e.g. `'people'`); compared trimmed and ignoring case. */
  unit: string | null;
  /** The indicator's computed status, counted in `statusCounts` (optional). */
  status?: IndicatorStatus | null;
}

/** One project's contribution, as shown in a roll-up. */
export interface RollUpProject {
  projectId: string;
  projectCode: string;
  indicatorId: string;
  actualToDate: string | null;
  targetToDate: string | null;
  actualToDateFraction: Fraction | null;
  targetToDateFraction: Fraction | null;
  baselineUsed: string | null;
  unit: string | null;
  status: IndicatorStatus | null;
}

/** Why a roll-up row carries no combined value. */
export type RollUpNotCombinedCode =
  'not_mapped' | 'measure_not_combinable' | 'mixed_measures' | 'mixed_units' | 'percentage_not_poolable';

/** A sentence per `RollUpNotCombinedCode` (the `notCombinedReason` adds the details). */
export const ROLL_UP_NOT_COMBINED_TEXT: Readonly<Record<RollUpNotCombinedCode, string>> = Object.freeze({
  not_mapped: 'The indicator is not mapped to a standard indicator: its values are not combined with other projects.',
  measure_not_combinable:
    'Ordinal and qualitative indicators are never combined across projects: see the status counts.',
  mixed_measures: 'The indicators mapped to this standard indicator have different measures: values are not combined.',
  mixed_units: 'The indicators mapped to this standard indicator have different units: values are not combined.',
  percentage_not_poolable:
    'A percentage without numerator and denominator cannot be pooled: values are not combined (percentages are never added or averaged).',
});

/**
 * One roll-up row: a standard indicator with its projects' contributions and combined values,
 * or (with `standardIndicatorId` null) one unmapped indicator on its own.
 *
 * Decimal figures are exact, normalised decimal strings; percents are on a 0-100 scale and not
 * rounded (see `roundPercent`).
 */
export interface RollUpResult {
  /** The standard indicator; null for an unmapped indicator (a per-project row, never combined). */
  standardIndicatorId: string | null;
  /** The common measure, or `'mixed'` when the mapped indicators disagree. */
  measure: Measure | 'mixed';
  /** The common unit (as given by the first project, in result order); null when none or mixed. */
  unit: string | null;
  /** Contributions, sorted by project code, project id, indicator id. */
  projects: RollUpProject[];
  /** Number: Σ actuals to date; percentage: 100·Σnum/Σden; null when not combined or nothing to combine. */
  combinedActualToDate: string | null;
  /** Number: Σ targets to date; percentage: 100·Σnum/Σden of the targets; null when not combined or unknown. */
  combinedTargetToDate: string | null;
  /** Percentage: the pooled actual pair; otherwise null. */
  combinedActualToDateFraction: Fraction | null;
  /** Percentage: the pooled target pair; otherwise null. */
  combinedTargetToDateFraction: Fraction | null;
  /** Number: Σ baselines used; percentage: pooled or denominator-weighted baseline; null when a contributor has none. */
  combinedBaseline: string | null;
  /** 100·(A − B)/(T − B) with the combined baseline B; null when T = B, a side or a baseline is missing, or the projects differ. */
  combinedAchievementPercent: string | null;
  /** The thresholds' status band of `combinedAchievementPercent`; null when there is none. */
  combinedStatus: IndicatorStatus | null;
  /** Why there is no combined value at all; null when combined. */
  notCombinedCode: RollUpNotCombinedCode | null;
  /** `ROLL_UP_NOT_COMBINED_TEXT` plus details (which projects, which units); null when combined. */
  notCombinedReason: string | null;
  /** Caveats of a combined row (projects left out of a sum, achievement not computed, ...). */
  notes: string[];
  /** Count of the projects' indicators per status (all six keys; only inputs carrying a status count). */
  statusCounts: Record<IndicatorStatus, number>;
}

const HUNDRED = new CalcDecimal(100);

/** A validated input with its parsed values. */
interface Row {
  project: RollUpProject;
  measure: Measure;
  unitKey: string;
  actual: Decimal | null;
  target: Decimal | null;
  actualFraction: { numerator: Decimal; denominator: Decimal } | null;
  targetFraction: { numerator: Decimal; denominator: Decimal } | null;
  baseline: Decimal | null;
  baselineFraction: { numerator: Decimal; denominator: Decimal } | null;
}

/**
 * Rolls evaluated project indicators up by standard indicator (DESIGN.md §5, summarised at the
 * top of this file).
 *
 * @param items one entry per project indicator (order does not matter)
 * @param thresholds status bands for `combinedStatus` (default `DEFAULT_THRESHOLDS`: 50/85/115)
 * @returns one row per standard indicator (sorted by id), then one row per unmapped indicator
 *   (sorted by project code, project id, indicator id)
 * @throws Error on malformed input: an unknown measure or status, a quantitative value or
 *   fraction that is not a decimal string, missing ids, or the same indicator id twice
 */
export function rollUp(items: readonly RollUpInput[], thresholds: Thresholds = DEFAULT_THRESHOLDS): RollUpResult[] {
  if (!Array.isArray(items)) throw new Error('Invalid roll-up input: expected an array');
  validateThresholds(thresholds);
  const seen = new Set<string>();
  const groups = new Map<string, Row[]>();
  const unmapped: Row[] = [];
  items.forEach((item, index) => {
    const row = readRow(item, index);
    if (seen.has(row.project.indicatorId)) {
      throw new Error(
        `Invalid roll-up input #${index + 1}: indicator ${JSON.stringify(row.project.indicatorId)} appears twice`,
      );
    }
    seen.add(row.project.indicatorId);
    if (item.standardIndicatorId === null) {
      unmapped.push(row);
    } else {
      const group = groups.get(item.standardIndicatorId) ?? [];
      group.push(row);
      groups.set(item.standardIndicatorId, group);
    }
  });

  const results = [...groups.keys()]
    .sort(compareStrings)
    .map((standardIndicatorId) =>
      combineGroup(standardIndicatorId, sortRows(groups.get(standardIndicatorId) ?? []), thresholds),
    );
  for (const row of sortRows(unmapped)) {
    results.push(
      notCombined(null, row.measure, row.project.unit, [row], 'not_mapped', ROLL_UP_NOT_COMBINED_TEXT.not_mapped),
    );
  }
  return results;
}

function combineGroup(standardIndicatorId: string, rows: Row[], thresholds: Thresholds): RollUpResult {
  const measures = [...new Set(rows.map((row) => row.measure))];
  if (measures.length > 1) {
    const detail = MEASURES.filter((measure) => measures.includes(measure))
      .map((measure) => `${measure} (${codes(rows.filter((row) => row.measure === measure))})`)
      .join(', ');
    return notCombined(
      standardIndicatorId,
      'mixed',
      null,
      rows,
      'mixed_measures',
      `${ROLL_UP_NOT_COMBINED_TEXT.mixed_measures} Measures: ${detail}.`,
    );
  }
  const measure = measures[0];
  const unitKeys = [...new Set(rows.map((row) => row.unitKey))].sort(compareStrings);
  const unit = unitKeys.length === 1 ? rows[0].project.unit : null;
  if (measure === 'ordinal' || measure === 'qualitative') {
    return notCombined(
      standardIndicatorId,
      measure,
      unit,
      rows,
      'measure_not_combinable',
      ROLL_UP_NOT_COMBINED_TEXT.measure_not_combinable,
    );
  }
  if (unitKeys.length > 1) {
    const detail = unitKeys
      .map((key) => {
        const withUnit = rows.filter((row) => row.unitKey === key);
        return `${key === '' ? 'no unit' : JSON.stringify(withUnit[0].project.unit?.trim())} (${codes(withUnit)})`;
      })
      .join(', ');
    return notCombined(
      standardIndicatorId,
      measure,
      null,
      rows,
      'mixed_units',
      `${ROLL_UP_NOT_COMBINED_TEXT.mixed_units} Units: ${detail}.`,
    );
  }
  return measure === 'number'
    ? combineNumbers(standardIndicatorId, unit, rows, thresholds)
    : combinePercentages(standardIndicatorId, unit, rows, thresholds);
}

function combineNumbers(
  standardIndicatorId: string,
  unit: string | null,
  rows: Row[],
  thresholds: Thresholds,
): RollUpResult {
  const notes: string[] = [];
  const withActual = rows.filter((row) => row.actual !== null);
  const withTarget = rows.filter((row) => row.target !== null);
  const actual = withActual.length === 0 ? null : sumOf(withActual.map((row) => row.actual as Decimal));
  const target = withTarget.length === 0 ? null : sumOf(withTarget.map((row) => row.target as Decimal));
  noteMissing(rows, withActual, withTarget, notes);
  const baseline = baselineOf(withActual, notes, (contributors) =>
    sumOf(contributors.map((row) => row.baseline as Decimal)),
  );
  const achievement = achievementOf(actual, target, baseline, sameProjects(withActual, withTarget), notes);
  noteSeveralPerProject(rows, notes);
  return {
    ...base(standardIndicatorId, 'number', unit, rows),
    combinedActualToDate: actual === null ? null : toPlainString(actual),
    combinedTargetToDate: target === null ? null : toPlainString(target),
    combinedBaseline: baseline === null ? null : toPlainString(baseline),
    ...achievementFields(achievement, thresholds),
    notes,
  };
}

/** The combined baseline over the contributors with an actual, or null (with a note) when one has none. */
function baselineOf(contributors: Row[], notes: string[], combine: (rows: Row[]) => Decimal | null): Decimal | null {
  if (contributors.length === 0) return null;
  const without = contributors.filter((row) => row.baseline === null);
  if (without.length > 0) {
    notes.push(
      `No baseline for ${codes(without)}: no combined baseline and no combined achievement, only status counts.`,
    );
    return null;
  }
  return combine(contributors);
}

function achievementFields(
  achievement: Decimal | null,
  thresholds: Thresholds,
): { combinedAchievementPercent: string | null; combinedStatus: IndicatorStatus | null } {
  if (achievement === null) return { combinedAchievementPercent: null, combinedStatus: null };
  const percent = toPlainString(achievement);
  return { combinedAchievementPercent: percent, combinedStatus: statusFromAchievement(percent, thresholds) };
}

function combinePercentages(
  standardIndicatorId: string,
  unit: string | null,
  rows: Row[],
  thresholds: Thresholds,
): RollUpResult {
  const unpoolable = rows.filter((row) => row.actualFraction === null && row.actual !== null);
  if (unpoolable.length > 0) {
    return notCombined(
      standardIndicatorId,
      'percentage',
      unit,
      rows,
      'percentage_not_poolable',
      `${ROLL_UP_NOT_COMBINED_TEXT.percentage_not_poolable} Without numerator/denominator: ${codes(unpoolable)}.`,
    );
  }
  const notes: string[] = [];
  const withActual = rows.filter((row) => row.actualFraction !== null);
  const withTarget = rows.filter((row) => row.target !== null || row.targetFraction !== null);
  noteMissing(rows, withActual, withTarget, notes);

  const actualPair = withActual.length === 0 ? null : poolOf(withActual.map((row) => row.actualFraction!));
  const actual = actualPair === null ? null : percentOf(actualPair);
  if (actualPair !== null && actual === null)
    notes.push('The pooled denominator of the actuals is 0: no combined actual.');

  // Target: pooled pairs when every target has one, else weighted by each project's actual denominator.
  let targetPair: { numerator: Decimal; denominator: Decimal } | null = null;
  let target: Decimal | null = null;
  if (withTarget.length > 0 && withTarget.every((row) => row.targetFraction !== null)) {
    targetPair = poolOf(withTarget.map((row) => row.targetFraction!));
    target = percentOf(targetPair);
    if (target === null) notes.push('The pooled denominator of the targets is 0: no combined target.');
  } else if (withTarget.length > 0) {
    const unweighted = withTarget.filter((row) => row.target === null || row.actualFraction === null);
    if (unweighted.length > 0) {
      notes.push(
        `Targets without numerator/denominator and without an actual denominator to weight them (${codes(unweighted)}): no combined target (percentages are never added or averaged).`,
      );
    } else {
      target = weightedPercent(withTarget, (row) => row.target as Decimal);
      if (target === null) notes.push('The actual denominators weighting the targets add up to 0: no combined target.');
      else notes.push('Combined target weighted by each project’s actual denominator: Σ(targetᵢ × denᵢ)/Σdenᵢ.');
    }
  }

  const baseline = baselineOf(withActual, notes, (contributors) => {
    if (contributors.every((row) => row.baselineFraction !== null)) {
      return percentOf(poolOf(contributors.map((row) => row.baselineFraction!)));
    }
    return weightedPercent(contributors, (row) => row.baseline as Decimal);
  });
  const achievement = achievementOf(actual, target, baseline, sameProjects(withActual, withTarget), notes);
  noteSeveralPerProject(rows, notes);
  return {
    ...base(standardIndicatorId, 'percentage', unit, rows),
    combinedActualToDate: actual === null ? null : toPlainString(actual),
    combinedTargetToDate: target === null ? null : toPlainString(target),
    combinedActualToDateFraction: actualPair === null ? null : plainFraction(actualPair),
    combinedTargetToDateFraction: targetPair === null ? null : plainFraction(targetPair),
    combinedBaseline: baseline === null ? null : toPlainString(baseline),
    ...achievementFields(achievement, thresholds),
    notes,
  };
}

/** Σ(valueᵢ × actual denᵢ)/Σ actual denᵢ over rows that all have an actual fraction; null when Σden = 0. */
function weightedPercent(rows: Row[], value: (row: Row) => Decimal): Decimal | null {
  const denominator = sumOf(rows.map((row) => row.actualFraction!.denominator));
  if (denominator.isZero()) return null;
  return sumOf(rows.map((row) => value(row).times(row.actualFraction!.denominator))).dividedBy(denominator);
}

/** 100·(actual − B)/(target − B) when all three exist, the same projects contribute to both sides, and target ≠ B. */
function achievementOf(
  actual: Decimal | null,
  target: Decimal | null,
  baseline: Decimal | null,
  matched: boolean,
  notes: string[],
): Decimal | null {
  if (actual === null || target === null || baseline === null) return null;
  if (!matched) {
    notes.push('No combined achievement: the projects with an actual to date differ from those with a target to date.');
    return null;
  }
  if (target.equals(baseline)) {
    notes.push(
      baseline.isZero()
        ? 'No combined achievement: the combined target to date is 0.'
        : 'No combined achievement: the combined target to date equals the combined baseline.',
    );
    return null;
  }
  return actual.minus(baseline).times(HUNDRED).dividedBy(target.minus(baseline));
}

function noteMissing(rows: Row[], withActual: Row[], withTarget: Row[], notes: string[]): void {
  const noActual = rows.filter((row) => !withActual.includes(row));
  const noTarget = rows.filter((row) => !withTarget.includes(row));
  if (noActual.length > 0) notes.push(`No actual to date (left out of the combined actual): ${codes(noActual)}.`);
  if (noTarget.length > 0) notes.push(`No target to date (left out of the combined target): ${codes(noTarget)}.`);
}

function noteSeveralPerProject(rows: Row[], notes: string[]): void {
  const perProject = new Map<string, Row[]>();
  for (const row of rows)
    perProject.set(row.project.projectId, [...(perProject.get(row.project.projectId) ?? []), row]);
  const several = [...perProject.values()].filter((list) => list.length > 1).map((list) => list[0]);
  if (several.length > 0) {
    notes.push(
      `Several indicators of one project map to this standard indicator and are all included: ${codes(several)}.`,
    );
  }
}

function sameProjects(a: Row[], b: Row[]): boolean {
  return a.length === b.length && a.every((row) => b.includes(row));
}

function base(standardIndicatorId: string | null, measure: Measure | 'mixed', unit: string | null, rows: Row[]) {
  return {
    standardIndicatorId,
    measure,
    unit,
    projects: rows.map((row) => row.project),
    combinedActualToDate: null,
    combinedTargetToDate: null,
    combinedActualToDateFraction: null,
    combinedTargetToDateFraction: null,
    combinedBaseline: null,
    combinedAchievementPercent: null,
    combinedStatus: null,
    notCombinedCode: null,
    notCombinedReason: null,
    notes: [] as string[],
    statusCounts: statusCounts(rows),
  };
}

function notCombined(
  standardIndicatorId: string | null,
  measure: Measure | 'mixed',
  unit: string | null,
  rows: Row[],
  code: RollUpNotCombinedCode,
  reason: string,
): RollUpResult {
  return { ...base(standardIndicatorId, measure, unit, rows), notCombinedCode: code, notCombinedReason: reason };
}

function statusCounts(rows: Row[]): Record<IndicatorStatus, number> {
  const counts = Object.fromEntries(INDICATOR_STATUSES.map((status) => [status, 0])) as Record<IndicatorStatus, number>;
  for (const row of rows) if (row.project.status !== null) counts[row.project.status] += 1;
  return counts;
}

/** Distinct project codes of `rows`, sorted, comma-separated. */
function codes(rows: Row[]): string {
  return [...new Set(rows.map((row) => row.project.projectCode))].sort(compareStrings).join(', ');
}

function readRow(item: RollUpInput, index: number): Row {
  const label = `roll-up input #${index + 1}`;
  if (!item || typeof item !== 'object') throw new Error(`Invalid ${label}: expected an object`);
  for (const key of ['projectId', 'projectCode', 'indicatorId'] as const) {
    if (typeof item[key] !== 'string' || item[key] === '')
      throw new Error(`Invalid ${label}: ${key} must be a non-empty string`);
  }
  if (
    item.standardIndicatorId !== null &&
    (typeof item.standardIndicatorId !== 'string' || item.standardIndicatorId === '')
  ) {
    throw new Error(`Invalid ${label}: standardIndicatorId must be a non-empty string or null`);
  }
  if (!(MEASURES as readonly unknown[]).includes(item.measure)) {
    throw new Error(`Invalid ${label} measure ${JSON.stringify(item.measure)}: expected one of ${MEASURES.join(', ')}`);
  }
  if (item.unit !== null && typeof item.unit !== 'string')
    throw new Error(`Invalid ${label}: unit must be a string or null`);
  const status = item.status ?? null;
  if (status !== null && !isIndicatorStatus(status)) {
    throw new Error(
      `Invalid ${label} status ${JSON.stringify(status)}: expected one of ${INDICATOR_STATUSES.join(', ')}`,
    );
  }
  const quantitative = item.measure === 'number' || item.measure === 'percentage';
  const percentage = item.measure === 'percentage';
  const where = `${label} (${item.projectCode} ${item.indicatorId})`;
  const actual =
    quantitative && item.actualToDate !== null ? parseDecimal(item.actualToDate, `${where} actualToDate`) : null;
  const target =
    quantitative && item.targetToDate !== null ? parseDecimal(item.targetToDate, `${where} targetToDate`) : null;
  const actualFraction = percentage
    ? readFraction(item.actualToDateFraction ?? null, `${where} actualToDateFraction`)
    : null;
  const targetFraction = percentage
    ? readFraction(item.targetToDateFraction ?? null, `${where} targetToDateFraction`)
    : null;
  if (item.baselineUsed !== null && typeof item.baselineUsed !== 'string')
    throw new Error(`Invalid ${label}: baselineUsed must be a decimal string or null`);
  const baseline =
    quantitative && item.baselineUsed !== null ? parseDecimal(item.baselineUsed, `${where} baselineUsed`) : null;
  const baselineFraction = percentage ? readFraction(item.baselineFraction ?? null, `${where} baselineFraction`) : null;
  return {
    project: {
      projectId: item.projectId,
      projectCode: item.projectCode,
      indicatorId: item.indicatorId,
      actualToDate: actual === null ? item.actualToDate : toPlainString(actual),
      targetToDate: target === null ? item.targetToDate : toPlainString(target),
      actualToDateFraction: actualFraction === null ? null : plainFraction(actualFraction),
      targetToDateFraction: targetFraction === null ? null : plainFraction(targetFraction),
      baselineUsed: baseline === null ? (quantitative ? null : (item.baselineUsed ?? null)) : toPlainString(baseline),
      unit: item.unit,
      status,
    },
    measure: item.measure,
    unitKey: (item.unit ?? '').trim().toLowerCase(),
    actual,
    target,
    actualFraction,
    targetFraction,
    baseline,
    baselineFraction,
  };
}

function readFraction(fraction: Fraction | null, label: string): { numerator: Decimal; denominator: Decimal } | null {
  if (fraction === null) return null;
  if (typeof fraction !== 'object') throw new Error(`Invalid ${label}: expected { numerator, denominator } or null`);
  return {
    numerator: parseDecimal(fraction.numerator, `${label} numerator`),
    denominator: parseDecimal(fraction.denominator, `${label} denominator`),
  };
}

function poolOf(pairs: { numerator: Decimal; denominator: Decimal }[]): { numerator: Decimal; denominator: Decimal } {
  return {
    numerator: sumOf(pairs.map((pair) => pair.numerator)),
    denominator: sumOf(pairs.map((pair) => pair.denominator)),
  };
}

/** 100·numerator/denominator, or null when the denominator is 0. */
function percentOf(pair: { numerator: Decimal; denominator: Decimal }): Decimal | null {
  return pair.denominator.isZero() ? null : pair.numerator.times(HUNDRED).dividedBy(pair.denominator);
}

function plainFraction(pair: { numerator: Decimal; denominator: Decimal }): Fraction {
  return { numerator: toPlainString(pair.numerator), denominator: toPlainString(pair.denominator) };
}

function sumOf(values: Decimal[]): Decimal {
  return values.reduce((total, value) => total.plus(value), new CalcDecimal(0));
}

function sortRows(rows: Row[]): Row[] {
  return [...rows].sort(
    (a, b) =>
      compareStrings(a.project.projectCode, b.project.projectCode) ||
      compareStrings(a.project.projectId, b.project.projectId) ||
      compareStrings(a.project.indicatorId, b.project.indicatorId),
  );
}

/** Code-unit order: locale-independent, so results never depend on the server's locale. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
