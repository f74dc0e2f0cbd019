import { describe, it, expect } from '@jest/globals';
import {
  evaluateIndicator,
  type Fraction,
  type IndicatorEvaluation,
  type IndicatorSeriesInput,
  type PeriodValue,
} from './indicator-evaluation.js';
import { quarterRange } from './reporting-period.js';
import { rollUp, type RollUpInput } from './roll-up.js';
import { roundPercent } from './round-percent.js';

/**
 * Worked examples of DESIGN.md §5, each with its expected figures derived by hand in comments.
 *
 * Examples already covered in indicator-evaluation.spec.ts are not repeated here:
 * - a decrease indicator: "evaluateIndicator: decrease" (baseline 30, target 10, actual 15 → 75 %);
 * - target equal to baseline, met and missed: "evaluateIndicator: target equals baseline, missing targets".
 */

/** A period value for calendar quarter `quarter` of `year`. */
function q(year: number, quarter: number, fields: Omit<PeriodValue, 'periodStart' | 'periodEnd'>): PeriodValue {
  const { start, end } = quarterRange(year, quarter);
  return { periodStart: start, periodEnd: end, ...fields };
}

/** A number / increase / sum / quarterly indicator with the given overrides. */
function series(overrides: Partial<IndicatorSeriesInput>): IndicatorSeriesInput {
  return {
    measure: 'number',
    direction: 'increase',
    aggregation: 'sum',
    baseline: null,
    endTarget: null,
    periodTargets: [],
    actuals: [],
    collectionFrequency: 'quarterly',
    ...overrides,
  };
}

describe('worked example: a sum indicator over four quarters', () => {
  // "People trained", sum, end target 100, quarterly targets 25 each in 2026.
  // Actuals: Q1 20, Q2 30, Q3 15, Q4 35.
  //
  // | as of | actual to date        | target to date      | achievement        | status   | progress to 100 |
  // | Q1    | 20                    | 25                  | 20/25 = 80 %       | at_risk  | 20 %            |
  // | Q2    | 20+30 = 50            | 25+25 = 50          | 50/50 = 100 %      | on_track | 50 %            |
  // | Q3    | 50+15 = 65            | 75                  | 65/75 = 86.666…%   | on_track | 65 %            |
  // | Q4    | 65+35 = 100           | 100                 | 100/100 = 100 %    | on_track | 100 %           |
  // b = 0 for sum (any baseline is ignored).
  const input = series({
    endTarget: '100',
    periodTargets: [1, 2, 3, 4].map((quarter) => q(2026, quarter, { value: '25' })),
    actuals: [
      q(2026, 1, { value: '20' }),
      q(2026, 2, { value: '30' }),
      q(2026, 3, { value: '15' }),
      q(2026, 4, { value: '35' }),
    ],
  });

  it.each([
    [1, '20', '25', '80', '80.0', 'at_risk', '20'],
    [2, '50', '50', '100', '100.0', 'on_track', '50'],
    [3, '65', '75', `86.${'6'.repeat(37)}7`, '86.7', 'on_track', '65'],
    [4, '100', '100', '100', '100.0', 'on_track', '100'],
  ])(
    'as of Q%i 2026: actual %s, target %s → %s %%',
    (quarter, actual, target, achievement, shown, status, progress) => {
      const asOf = quarterRange(2026, quarter).end;
      const result = evaluateIndicator(input, asOf);
      expect(result).toMatchObject({
        evaluationPeriod: quarterRange(2026, quarter),
        actualToDate: actual,
        targetToDate: target,
        targetToDatePeriod: { start: '2026-01-01', end: asOf },
        baselineUsed: '0',
        aggregationUsed: 'sum',
        achievementPercent: achievement,
        progressPercent: progress,
        status,
        flags: [],
      });
      expect(roundPercent(result.achievementPercent)).toBe(shown);
    },
  );
});

describe('worked example: a latest indicator whose earlier quarter is edited afterwards', () => {
  // "Households with access to water" (a level), latest, baseline 40, targets Q1 50, Q2 60, Q3 70.
  // Actuals Q1 45, Q2 55, Q3 61. As of Q3: actual to date = Q3's 61 (the latest period), target 70:
  // achievement = (61 − 40)/(70 − 40) = 21/30 = 70 % → at_risk.
  // Later, Q1 is restated from 45 to 52 (or to anything else): Q3 still holds 61, so the to-date value,
  // achievement and status are unchanged. Editing an earlier period never rewrites a later one.
  const original = series({
    aggregation: 'latest',
    baseline: '40',
    endTarget: '80',
    periodTargets: [q(2026, 1, { value: '50' }), q(2026, 2, { value: '60' }), q(2026, 3, { value: '70' })],
    actuals: [q(2026, 1, { value: '45' }), q(2026, 2, { value: '55' }), q(2026, 3, { value: '61' })],
  });
  const asOf = quarterRange(2026, 3).end;

  it('keeps the later quarter as the to-date value', () => {
    const before = evaluateIndicator(original, asOf);
    expect(before).toMatchObject({
      actualToDate: '61',
      targetToDate: '70',
      achievementPercent: '70',
      status: 'at_risk',
    });
    // progress = (61 − 40)/(80 − 40) = 21/40 = 52.5 %
    expect(before.progressPercent).toBe('52.5');

    for (const restated of ['52', '0', '1000']) {
      const edited = { ...original, actuals: [q(2026, 1, { value: restated }), ...original.actuals.slice(1)] };
      expect(evaluateIndicator(edited, asOf)).toEqual(before);
    }
  });

  it('uses the restated value only while it is itself the latest', () => {
    // As of Q1 the restated Q1 value is the to-date value: (52 − 40)/(50 − 40) = 120 % → exceeded.
    const edited = { ...original, actuals: [q(2026, 1, { value: '52' }), ...original.actuals.slice(1)] };
    expect(evaluateIndicator(edited, quarterRange(2026, 1).end)).toMatchObject({
      actualToDate: '52',
      achievementPercent: '120',
      status: 'exceeded',
    });
  });
});

describe('worked example: a percentage pooled across two projects with different denominators', () => {
  // Standard indicator "% of trainees passing the assessment", each project a sum percentage:
  //   Project A: Q1 20/25, Q2 10/15 → pooled over time 30/40 = 75 %.
  //   Project B: Q1 4/30,  Q2 6/30  → pooled over time 10/60 = 16.666…%.
  // Roll-up: (30 + 10)/(40 + 60) = 40/100 = 40 %.
  // NOT the average of the percentages (75 + 16.67)/2 = 45.8 %, nor their sum 91.7 %.
  // Targets to date (Q2 targets): A 20/40 = 50 %, B 30/60 = 50 % → pooled 50/100 = 50 %;
  // combined achievement = 40/50 = 80 %.
  const project = (actuals: [string, string][], target: [string, string]): IndicatorSeriesInput =>
    series({
      measure: 'percentage',
      periodTargets: [q(2026, 2, { numerator: target[0], denominator: target[1] })],
      actuals: actuals.map(([numerator, denominator], index) => q(2026, index + 1, { numerator, denominator })),
    });
  const asOf = quarterRange(2026, 2).end;
  const a = evaluateIndicator(
    project(
      [
        ['20', '25'],
        ['10', '15'],
      ],
      ['20', '40'],
    ),
    asOf,
  );
  const b = evaluateIndicator(
    project(
      [
        ['4', '30'],
        ['6', '30'],
      ],
      ['30', '60'],
    ),
    asOf,
  );

  it('pools each project over time first', () => {
    expect(a).toMatchObject({
      actualToDate: '75',
      actualToDateFraction: { numerator: '30', denominator: '40' },
      targetToDate: '50',
    });
    expect(b).toMatchObject({
      actualToDate: `16.${'6'.repeat(37)}7`,
      actualToDateFraction: { numerator: '10', denominator: '60' },
    });
    // A: 75/50 = 150 % → exceeded; B: 16.67/50 = 33.3 % → off_track.
    expect([a.status, b.status]).toEqual(['exceeded', 'off_track']);
  });

  it('then pools across projects in the roll-up: 40 %, not 45.8 %', () => {
    // Each project's evaluation as a roll-up input; the target pair is the Q2 period target's.
    const input = (code: string, evaluation: IndicatorEvaluation, targetPair: Fraction): RollUpInput => ({
      projectId: `p-${code}`,
      projectCode: code,
      indicatorId: `i-${code}`,
      standardIndicatorId: 'SI-PASS',
      measure: 'percentage',
      unit: '%',
      status: evaluation.status,
      actualToDate: evaluation.actualToDate,
      actualToDateFraction: evaluation.actualToDateFraction,
      targetToDate: evaluation.targetToDate,
      targetToDateFraction: targetPair,
      baselineUsed: evaluation.baselineUsed,
    });
    const [result] = rollUp([
      input('A', a, { numerator: '20', denominator: '40' }),
      input('B', b, { numerator: '30', denominator: '60' }),
    ]);
    expect(result).toMatchObject({
      combinedActualToDate: '40',
      combinedActualToDateFraction: { numerator: '40', denominator: '100' },
      combinedTargetToDate: '50',
      combinedTargetToDateFraction: { numerator: '50', denominator: '100' },
      combinedAchievementPercent: '80',
      notCombinedReason: null,
      statusCounts: { off_track: 1, at_risk: 0, on_track: 0, exceeded: 1, no_data: 0, not_assessable: 0 },
    });
    expect(roundPercent(result.combinedActualToDate)).toBe('40.0');
    expect(roundPercent(result.combinedActualToDate)).not.toBe('45.8');
  });
});

describe('worked example: baseline 0 versus a missing baseline', () => {
  // Latest indicator, target Q1 50, end target 100, actual Q1 25.
  // Baseline 0 is a value: (25 − 0)/(50 − 0) = 50 % → at_risk; progress 25/100 = 25 %.
  // No baseline: a latest indicator cannot be assessed (b unknown) → not_assessable, missing_baseline;
  // the actual is still shown. A sum indicator does not need one: b = 0 whatever the baseline.
  const latest = (baseline: string | null) =>
    evaluateIndicator(
      series({
        aggregation: 'latest',
        baseline,
        endTarget: '100',
        periodTargets: [q(2026, 1, { value: '50' })],
        actuals: [q(2026, 1, { value: '25' })],
      }),
      quarterRange(2026, 1).end,
    );

  it('baseline 0 is assessed', () => {
    expect(latest('0')).toMatchObject({
      baselineUsed: '0',
      achievementPercent: '50',
      progressPercent: '25',
      status: 'at_risk',
    });
    expect(latest('0').notAssessableReason).toBeUndefined();
  });

  it('a missing baseline is not assessable (never treated as 0)', () => {
    expect(latest(null)).toMatchObject({
      baselineUsed: null,
      actualToDate: '25',
      targetToDate: '50',
      achievementPercent: null,
      progressPercent: null,
      status: 'not_assessable',
      notAssessableReason: 'missing_baseline',
    });
  });

  it('a sum indicator uses b = 0 with or without a baseline', () => {
    const sum = (baseline: string | null) =>
      evaluateIndicator(
        series({
          baseline,
          endTarget: '100',
          periodTargets: [q(2026, 1, { value: '50' })],
          actuals: [q(2026, 1, { value: '25' })],
        }),
        quarterRange(2026, 1).end,
      );
    expect(sum(null)).toMatchObject({ baselineUsed: '0', achievementPercent: '50', status: 'at_risk' });
    expect(sum(null)).toEqual(sum('0'));
  });
});

describe('worked example: an annual indicator three quarters after its last value', () => {
  // Annual, latest, baseline 20; targets 2025 → 40, 2026 → 60 (annual periods). Last value: 35 for 2025
  // (period 2025-01-01..2025-12-31). As of 2026-09-30 (Q3, three quarters later):
  // - not no_data: the 2025 value is reported before the as-of date; evaluation date 2025-12-31;
  // - judged against the target ended by then (2025: 40), not the 2026 one: (35 − 20)/(40 − 20) = 75 % → at_risk;
  // - not overdue: due 2025-12-31 + 12 months = 2026-12-31, + 30 days grace = 2027-01-30.
  // Overdue only from 2027-01-31 (so the Q4 2026 report is not overdue, the Q1 2027 one is).
  // The same value on a quarterly indicator would be overdue since 2026-03-31 + 30 days = 2026-04-30.
  const annual = series({
    aggregation: 'latest',
    baseline: '20',
    endTarget: '60',
    collectionFrequency: 'annual',
    periodTargets: [
      { periodStart: '2025-01-01', periodEnd: '2025-12-31', value: '40' },
      { periodStart: '2026-01-01', periodEnd: '2026-12-31', value: '60' },
    ],
    actuals: [{ periodStart: '2025-01-01', periodEnd: '2025-12-31', value: '35' }],
  });

  it('is assessed at its own evaluation date, not no_data, not overdue', () => {
    const result = evaluateIndicator(annual, '2026-09-30');
    expect(result).toMatchObject({
      evaluationPeriod: { start: '2025-01-01', end: '2025-12-31' },
      actualToDate: '35',
      targetToDate: '40',
      achievementPercent: '75',
      status: 'at_risk',
      flags: [],
    });
  });

  it.each([
    ['2026-09-30', false],
    ['2026-12-31', false],
    ['2027-01-30', false],
    ['2027-01-31', true],
    ['2027-03-31', true],
  ])('as of %s overdue = %s (12 months + 30 days grace)', (asOf, overdue) => {
    const result = evaluateIndicator(annual, asOf);
    expect(result.flags.includes('overdue')).toBe(overdue);
    // Overdue is a flag, never a status: still assessed from the 2025 value.
    expect(result.status).toBe('at_risk');
  });

  it('a quarterly indicator with the same last value is overdue three quarters later', () => {
    const quarterly = { ...annual, collectionFrequency: 'quarterly' as const };
    expect(evaluateIndicator(quarterly, '2026-04-30').flags).toEqual([]);
    expect(evaluateIndicator(quarterly, '2026-05-01').flags).toEqual(['overdue']);
    expect(evaluateIndicator(quarterly, '2026-09-30').flags).toEqual(['overdue']);
  });
});
