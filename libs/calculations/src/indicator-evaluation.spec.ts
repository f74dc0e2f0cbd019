import { describe, it, expect, afterEach } from '@jest/globals';
import {
  evaluateIndicator,
  isIndicatorOverdue,
  EVALUATION_FLAGS,
  NOT_ASSESSABLE_REASON_TEXT,
  type IndicatorEvaluation,
  type IndicatorSeriesInput,
  type PeriodValue,
} from './indicator-evaluation.js';
import { quarterOf, quarterRange } from './reporting-period.js';
import { roundPercent } from './round-percent.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.js';

/** A period value for calendar quarter `quarter` of `year`. */
function q(year: number, quarter: number, fields: Omit<PeriodValue, 'periodStart' | 'periodEnd'>): PeriodValue {
  const { start, end } = quarterRange(year, quarter);
  return { periodStart: start, periodEnd: end, ...fields };
}

/** A number / increase / sum indicator, quarterly, with the given overrides. */
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

const Q2_END = '2026-06-30';
const Q3_END = '2026-09-30';
const Q4_END = '2026-12-31';
/** 200/3 to 40 significant digits, half-up. */
const TWO_THIRDS_PERCENT = `66.${'6'.repeat(37)}7`;

describe('evaluateIndicator: sum', () => {
  // Targets 10 / 20 / 30 for Q1-Q3 2026, end target 60; actuals 8 (Q1) and 12 (Q2); as of Q3 end.
  // Evaluation date = end of the latest reported period = 2026-06-30 (Q3 not reported yet).
  // Actual to date = 8 + 12 = 20; target to date = 10 + 20 = 30 (Q3's 30 has not ended by then).
  // Achievement = (20 - 0) / (30 - 0) = 66.666…% → at_risk (50 <= a < 85).
  // Progress = 20 / 60 = 33.333…%.
  const input = series({
    endTarget: '60',
    periodTargets: [q(2026, 1, { value: '10' }), q(2026, 2, { value: '20' }), q(2026, 3, { value: '30' })],
    actuals: [q(2026, 1, { value: '8' }), q(2026, 2, { value: '12' })],
  });

  it('adds period actuals and targets ended by the evaluation date', () => {
    const result = evaluateIndicator(input, Q3_END, DEFAULT_THRESHOLDS);
    expect(result).toEqual({
      evaluationPeriod: { start: '2026-04-01', end: Q2_END },
      latestActual: { value: '12', periodStart: '2026-04-01', periodEnd: Q2_END },
      actualToDate: '20',
      actualToDateFraction: null,
      targetToDate: '30',
      targetToDateFraction: null,
      targetToDatePeriod: { start: '2026-01-01', end: Q2_END },
      endTarget: '60',
      baselineUsed: '0',
      aggregationUsed: 'sum',
      achievementPercent: TWO_THIRDS_PERCENT,
      progressPercent: `33.${'3'.repeat(38)}`,
      status: 'at_risk',
      flags: [],
      thresholdsVersion: 1,
    } satisfies IndicatorEvaluation);
    expect(roundPercent(result.achievementPercent)).toBe('66.7');
    expect(roundPercent(result.progressPercent)).toBe('33.3');
  });

  it('uses the default thresholds and options when omitted', () => {
    expect(evaluateIndicator(input, Q3_END)).toEqual(
      evaluateIndicator(input, Q3_END, DEFAULT_THRESHOLDS, { graceDays: 30 }),
    );
  });

  it('ignores a baseline on a sum indicator (b = 0)', () => {
    // Same as above with baseline 5: b is still 0, so achievement is still 20/30.
    const result = evaluateIndicator({ ...input, baseline: '5' }, Q3_END);
    expect(result.baselineUsed).toBe('0');
    expect(result.achievementPercent).toBe(TWO_THIRDS_PERCENT);
  });

  it('computes exactly, never with floats', () => {
    // 0.1 + 0.2 = 0.3 exactly (a float would give 0.30000000000000004 and 100.00000000000001 %).
    const result = evaluateIndicator(
      series({
        periodTargets: [q(2026, 1, { value: '0.1' }), q(2026, 2, { value: '0.2' })],
        actuals: [q(2026, 1, { value: '0.1' }), q(2026, 2, { value: '0.2' })],
      }),
      Q2_END,
    );
    expect(result.actualToDate).toBe('0.3');
    expect(result.targetToDate).toBe('0.3');
    expect(result.achievementPercent).toBe('100');
    expect(result.status).toBe('on_track');
  });

  it('reports exceeded above 115 %', () => {
    // 12 / 10 = 120 % > 115 → exceeded
    const result = evaluateIndicator(
      series({ periodTargets: [q(2026, 1, { value: '10' })], actuals: [q(2026, 1, { value: '12' })] }),
      '2026-03-31',
    );
    expect(result.achievementPercent).toBe('120');
    expect(result.status).toBe('exceeded');
  });

  it('does not depend on the order of the rows', () => {
    const shuffled = {
      ...input,
      periodTargets: [...input.periodTargets].reverse(),
      actuals: [...input.actuals].reverse(),
    };
    expect(evaluateIndicator(shuffled, Q3_END)).toEqual(evaluateIndicator(input, Q3_END));
  });
});

describe('evaluateIndicator: status bands at the boundaries', () => {
  // Sum indicator with a single target of 100 in Q1: achievement = actual exactly.
  const withActual = (actual: string) =>
    evaluateIndicator(
      series({ periodTargets: [q(2026, 1, { value: '100' })], actuals: [q(2026, 1, { value: actual })] }),
      '2026-03-31',
    );

  it.each([
    ['49.999', 'off_track'],
    ['50', 'at_risk'],
    ['84.999', 'at_risk'],
    ['85', 'on_track'],
    ['100', 'on_track'],
    ['115', 'on_track'],
    ['115.001', 'exceeded'],
  ])('actual %s of target 100 → %s', (actual, status) => {
    const result = withActual(actual);
    expect(result.achievementPercent).toBe(actual);
    expect(result.status).toBe(status);
  });

  it('judges the exact value, not the rounded one', () => {
    // 84.96 % rounds to 85.0 for presentation but is still at_risk.
    const result = withActual('84.96');
    expect(roundPercent(result.achievementPercent)).toBe('85.0');
    expect(result.status).toBe('at_risk');
  });

  it('applies the organisation thresholds and records their version', () => {
    const strict: Thresholds = { version: 7, atRiskFrom: '60', onTrackFrom: '90', exceededAbove: '110' };
    // 85 % is at_risk under 60/90/110.
    const result = evaluateIndicator(
      series({ periodTargets: [q(2026, 1, { value: '100' })], actuals: [q(2026, 1, { value: '85' })] }),
      '2026-03-31',
      strict,
    );
    expect(result.status).toBe('at_risk');
    expect(result.thresholdsVersion).toBe(7);
  });
});

describe('evaluateIndicator: latest', () => {
  // Baseline 40, period targets 50 (Q1), 60 (Q2), end target 80; actuals 45 (Q1), 55 (Q2); as of Q2 end.
  // Achievement = (55 - 40) / (60 - 40) = 15/20 = 75 % → at_risk. Progress = 15 / (80 - 40) = 37.5 %.
  const input = series({
    aggregation: 'latest',
    baseline: '40',
    endTarget: '80',
    periodTargets: [q(2026, 1, { value: '50' }), q(2026, 2, { value: '60' })],
    actuals: [q(2026, 1, { value: '45' }), q(2026, 2, { value: '55' })],
  });

  it('takes the latest value and the latest period target, relative to the baseline', () => {
    const result = evaluateIndicator(input, Q2_END);
    expect(result).toMatchObject({
      actualToDate: '55',
      targetToDate: '60',
      targetToDatePeriod: { start: '2026-04-01', end: Q2_END },
      baselineUsed: '40',
      aggregationUsed: 'latest',
      achievementPercent: '75',
      progressPercent: '37.5',
      status: 'at_risk',
      flags: [],
    });
  });

  it('is not assessable without a baseline', () => {
    const result = evaluateIndicator({ ...input, baseline: null }, Q2_END);
    expect(result.status).toBe('not_assessable');
    expect(result.notAssessableReason).toBe('missing_baseline');
    expect(result.achievementPercent).toBeNull();
    expect(result.progressPercent).toBeNull();
    expect(result.actualToDate).toBe('55'); // still shown
    expect(result.baselineUsed).toBeNull();
  });

  it('works with a baseline of 0', () => {
    // (25 - 0) / (50 - 0) = 50 % → at_risk; progress 25 / 100 = 25 %.
    const result = evaluateIndicator(
      series({
        aggregation: 'latest',
        baseline: '0',
        endTarget: '100',
        periodTargets: [q(2026, 1, { value: '50' })],
        actuals: [q(2026, 1, { value: '25' })],
      }),
      '2026-03-31',
    );
    expect(result).toMatchObject({
      baselineUsed: '0',
      achievementPercent: '50',
      progressPercent: '25',
      status: 'at_risk',
    });
  });

  it('gives a negative achievement when the actual falls below the baseline', () => {
    // (35 - 40) / (60 - 40) = -25 % → off_track
    const result = evaluateIndicator({ ...input, actuals: [q(2026, 2, { value: '35' })] }, Q2_END);
    expect(result.achievementPercent).toBe('-25');
    expect(result.status).toBe('off_track');
  });
});

describe('evaluateIndicator: decrease', () => {
  // Baseline 30, period target 10 (Q2), end target 5: lower is better.
  // Actual 15: achievement = (15 - 30) / (10 - 30) = -15 / -20 = 75 % → at_risk;
  //            progress = (15 - 30) / (5 - 30) = -15 / -25 = 60 %.
  // The negative span (target below baseline) turns a fall into a positive ratio: no special case.
  const decrease = (actual: string) =>
    evaluateIndicator(
      series({
        direction: 'decrease',
        aggregation: 'latest',
        baseline: '30',
        endTarget: '5',
        periodTargets: [q(2026, 2, { value: '10' })],
        actuals: [q(2026, 2, { value: actual })],
      }),
      Q2_END,
    );

  it('handles direction through the ratio itself', () => {
    expect(decrease('15')).toMatchObject({
      achievementPercent: '75',
      progressPercent: '60',
      status: 'at_risk',
      flags: [],
    });
  });

  it.each([
    // (35 - 30) / (10 - 30) = 5 / -20 = -25 % : worse than the baseline
    ['35', '-25', 'off_track'],
    // (30 - 30) / -20 = 0 %
    ['30', '0', 'off_track'],
    // (8 - 30) / -20 = -22 / -20 = 110 %
    ['8', '110', 'on_track'],
    // (0 - 30) / -20 = 150 %
    ['0', '150', 'exceeded'],
  ])('actual %s → %s %% → %s', (actual, percent, status) => {
    const result = decrease(actual);
    expect(result.achievementPercent).toBe(percent);
    expect(result.status).toBe(status);
  });

  it('is not assessable on sum, and flagged', () => {
    const result = evaluateIndicator(
      series({
        direction: 'decrease',
        aggregation: 'sum',
        periodTargets: [q(2026, 1, { value: '10' })],
        actuals: [q(2026, 1, { value: '8' })],
      }),
      '2026-03-31',
    );
    expect(result.status).toBe('not_assessable');
    expect(result.notAssessableReason).toBe('decrease_on_sum');
    expect(result.flags).toEqual(['decrease_on_sum']);
    expect(result.achievementPercent).toBeNull();
    expect(result.progressPercent).toBeNull();
    expect(result.actualToDate).toBe('8');
  });

  it('flags decrease on sum even before any data (status no_data takes precedence)', () => {
    const result = evaluateIndicator(series({ direction: 'decrease' }), '2026-03-31');
    expect(result.status).toBe('no_data');
    expect(result.flags).toEqual(['decrease_on_sum']);
  });
});

describe('evaluateIndicator: percentages', () => {
  // Sum percentage: Q1 30/40 (75 %), Q2 10/60 (16.67 %). Pooled: (30 + 10) / (40 + 60) = 40/100 = 40 %.
  // (Averaging the percentages would give 45.83 %: wrong.) Targets 50 % in Q1 and Q2: the to-date
  // target is the latest one ended, 50 % (never added to 100 %). Achievement = 40 / 50 = 80 % → at_risk.
  const pooled = series({
    measure: 'percentage',
    endTarget: '60',
    periodTargets: [q(2026, 1, { value: '50' }), q(2026, 2, { value: '50' })],
    actuals: [q(2026, 1, { numerator: '30', denominator: '40' }), q(2026, 2, { numerator: '10', denominator: '60' })],
  });

  it('pools numerators and denominators on sum', () => {
    const result = evaluateIndicator(pooled, Q2_END);
    expect(result).toMatchObject({
      actualToDate: '40',
      actualToDateFraction: { numerator: '40', denominator: '100' },
      targetToDate: '50',
      targetToDatePeriod: { start: '2026-04-01', end: Q2_END },
      baselineUsed: '0',
      aggregationUsed: 'sum',
      achievementPercent: '80',
      // progress = 40 / 60 = 66.666… %
      progressPercent: TWO_THIRDS_PERCENT,
      status: 'at_risk',
      flags: [],
    });
    // The latest period on its own: 100 * 10 / 60 = 16.666… %
    expect(result.latestActual).toEqual({
      value: `16.${'6'.repeat(37)}7`,
      fraction: { numerator: '10', denominator: '60' },
      periodStart: '2026-04-01',
      periodEnd: Q2_END,
    });
  });

  it('accepts percentage targets as numerator/denominator', () => {
    // Q2 target 45/90 = 50 %: same result as above.
    const input = {
      ...pooled,
      periodTargets: [q(2026, 1, { value: '50' }), q(2026, 2, { numerator: '45', denominator: '90' })],
    };
    expect(evaluateIndicator(input, Q2_END)).toMatchObject({ targetToDate: '50', achievementPercent: '80' });
  });

  it('takes the latest pair on latest, with the baseline', () => {
    // Latest pair 30/40 = 75 %; baseline 60, target 80: (75 - 60) / (80 - 60) = 75 % → at_risk.
    const result = evaluateIndicator(
      series({
        measure: 'percentage',
        aggregation: 'latest',
        baseline: '60',
        periodTargets: [q(2026, 1, { value: '70' }), q(2026, 2, { value: '80' })],
        actuals: [q(2026, 1, { numerator: '1', denominator: '2' }), q(2026, 2, { numerator: '30', denominator: '40' })],
      }),
      Q2_END,
    );
    expect(result).toMatchObject({
      actualToDate: '75',
      actualToDateFraction: { numerator: '30', denominator: '40' },
      targetToDate: '80',
      achievementPercent: '75',
      status: 'at_risk',
    });
  });

  it('treats a percentage without numerator/denominator as a latest level that cannot be pooled', () => {
    // Imported levels 70 (Q1) and 75 (Q2), declared sum: evaluated as latest with the baseline.
    // (75 - 60) / (80 - 60) = 75 % → at_risk. Adding them (145) or pooling is impossible.
    const input = series({
      measure: 'percentage',
      baseline: '60',
      periodTargets: [q(2026, 2, { value: '80' })],
      actuals: [q(2026, 1, { value: '70' }), q(2026, 2, { value: '75' })],
    });
    const result = evaluateIndicator(input, Q2_END);
    expect(result).toMatchObject({
      actualToDate: '75',
      actualToDateFraction: null,
      aggregationUsed: 'latest',
      baselineUsed: '60',
      achievementPercent: '75',
      status: 'at_risk',
      flags: ['percentage_not_poolable'],
    });
    const noBaseline = evaluateIndicator({ ...input, baseline: null }, Q2_END);
    expect(noBaseline.status).toBe('not_assessable');
    expect(noBaseline.notAssessableReason).toBe('missing_baseline');
  });

  it('cannot pool when only some periods carry numerator/denominator', () => {
    // Q1 pair 30/40, Q2 level 75 only: not poolable → latest level 75.
    const result = evaluateIndicator(
      {
        ...pooled,
        baseline: '0',
        actuals: [q(2026, 1, { numerator: '30', denominator: '40' }), q(2026, 2, { value: '75' })],
      },
      Q2_END,
    );
    expect(result.aggregationUsed).toBe('latest');
    expect(result.actualToDate).toBe('75');
    expect(result.flags).toContain('percentage_not_poolable');
  });

  describe('denominator 0', () => {
    it('is not assessable (flagged) when the latest pair has denominator 0', () => {
      const result = evaluateIndicator(
        series({
          measure: 'percentage',
          aggregation: 'latest',
          baseline: '50',
          endTarget: '90',
          periodTargets: [q(2026, 1, { value: '70' })],
          actuals: [q(2026, 1, { numerator: '0', denominator: '0' })],
        }),
        '2026-03-31',
      );
      expect(result).toMatchObject({
        evaluationPeriod: { start: '2026-01-01', end: '2026-03-31' },
        latestActual: { value: null, fraction: { numerator: '0', denominator: '0' } },
        actualToDate: null,
        achievementPercent: null,
        progressPercent: null,
        status: 'not_assessable',
        notAssessableReason: 'zero_denominator',
        flags: ['zero_denominator'],
      });
    });

    it('pools around a period with denominator 0, but flags it', () => {
      // Q1 0/0 (nobody eligible), Q2 15/20: pooled 15/20 = 75 %; target 50 % → 150 % → exceeded.
      const result = evaluateIndicator(
        {
          ...pooled,
          actuals: [
            q(2026, 1, { numerator: '0', denominator: '0' }),
            q(2026, 2, { numerator: '15', denominator: '20' }),
          ],
        },
        Q2_END,
      );
      expect(result).toMatchObject({
        actualToDate: '75',
        achievementPercent: '150',
        status: 'exceeded',
        flags: ['zero_denominator'],
      });
    });

    it('is not assessable when the pooled denominator is 0', () => {
      const result = evaluateIndicator(
        {
          ...pooled,
          actuals: [q(2026, 1, { numerator: '0', denominator: '0' }), q(2026, 2, { numerator: '0', denominator: '0' })],
        },
        Q2_END,
      );
      expect(result).toMatchObject({
        actualToDate: null,
        actualToDateFraction: { numerator: '0', denominator: '0' },
        status: 'not_assessable',
        notAssessableReason: 'zero_denominator',
      });
    });

    it('ignores a target with denominator 0 and flags it', () => {
      // Q2 target 0/0 is unusable: the latest usable target is Q1's 50 %. 40 / 50 = 80 %.
      const result = evaluateIndicator(
        { ...pooled, periodTargets: [q(2026, 1, { value: '50' }), q(2026, 2, { numerator: '3', denominator: '0' })] },
        Q2_END,
      );
      expect(result).toMatchObject({
        targetToDate: '50',
        targetToDatePeriod: { start: '2026-01-01', end: '2026-03-31' },
        achievementPercent: '80',
        flags: ['target_zero_denominator'],
      });
    });
  });

  it('ignores (and flags) a numerator without denominator', () => {
    const result = evaluateIndicator({ ...pooled, actuals: [q(2026, 1, { numerator: '30' })] }, Q2_END);
    expect(result.status).toBe('no_data');
    expect(result.flags).toEqual(['incomplete_fraction']);
  });
});

describe('evaluateIndicator: evaluation date (late data is not judged against a later milestone)', () => {
  // Latest indicator, baseline 40, targets 60 (Q2), 70 (Q3), 80 (Q4); only Q2 reported (55).
  // As of Q4 end the evaluation date is still 2026-06-30: (55 - 40) / (60 - 40) = 75 %, not
  // (55 - 40) / (80 - 40) = 37.5 % against the Q4 milestone.
  const input = series({
    aggregation: 'latest',
    baseline: '40',
    periodTargets: [q(2026, 2, { value: '60' }), q(2026, 3, { value: '70' }), q(2026, 4, { value: '80' })],
    actuals: [q(2026, 2, { value: '55' })],
  });

  it('judges the latest report against the milestone of its own period', () => {
    const result = evaluateIndicator(input, Q4_END);
    expect(result.evaluationPeriod).toEqual({ start: '2026-04-01', end: Q2_END });
    expect(result.targetToDate).toBe('60');
    expect(result.targetToDatePeriod).toEqual({ start: '2026-04-01', end: Q2_END });
    expect(result.achievementPercent).toBe('75');
    expect(result.status).toBe('at_risk');
    // Q2 end + 3 months = 2026-09-30, + 30 days = 2026-10-30 < 2026-12-31 → overdue.
    expect(result.flags).toEqual(['overdue']);
  });

  it('ignores periods ending after the as-of date entirely (values and flags)', () => {
    const withFuture = {
      ...input,
      actuals: [
        ...input.actuals,
        q(2027, 1, { value: '1000' }),
        // Ends one day after the as-of date.
        { periodStart: '2026-10-01', periodEnd: '2027-01-01', value: '999' },
      ],
    };
    expect(evaluateIndicator(withFuture, Q4_END)).toEqual(evaluateIndicator(input, Q4_END));
    // And a zero-denominator percentage in the future raises no flag now.
    const pct = series({
      measure: 'percentage',
      periodTargets: [q(2026, 1, { value: '50' })],
      actuals: [q(2026, 1, { numerator: '1', denominator: '2' }), q(2026, 2, { numerator: '1', denominator: '0' })],
    });
    expect(evaluateIndicator(pct, '2026-03-31').flags).toEqual([]);
  });

  it('counts a period ending exactly on the as-of date', () => {
    const result = evaluateIndicator({ ...input, actuals: [...input.actuals, q(2026, 4, { value: '78' })] }, Q4_END);
    // (78 - 40) / (80 - 40) = 38 / 40 = 95 % → on_track
    expect(result.evaluationPeriod).toEqual({ start: '2026-10-01', end: Q4_END });
    expect(result.achievementPercent).toBe('95');
    expect(result.status).toBe('on_track');
  });

  it('names imported periods that are not quarters', () => {
    // An imported value covering 2026-02-15..2026-05-14 belongs to Q2 (its end); target period the same.
    const result = evaluateIndicator(
      series({
        periodTargets: [{ periodStart: '2026-02-15', periodEnd: '2026-05-14', value: '40' }],
        actuals: [{ periodStart: '2026-02-15', periodEnd: '2026-05-14', value: '30' }],
      }),
      Q2_END,
    );
    expect(result.evaluationPeriod).toEqual({ start: '2026-02-15', end: '2026-05-14' });
    expect(quarterOf(result.evaluationPeriod!.end)).toEqual({ year: 2026, quarter: 2 });
    expect(result.achievementPercent).toBe('75');
  });
});

describe('evaluateIndicator: target equals baseline, missing targets', () => {
  const maintain = (direction: 'increase' | 'decrease', actual: string) =>
    evaluateIndicator(
      series({
        direction,
        aggregation: 'latest',
        baseline: '40',
        endTarget: '40',
        periodTargets: [q(2026, 1, { value: '40' })],
        actuals: [q(2026, 1, { value: actual })],
      }),
      '2026-03-31',
    );

  it.each([
    ['increase', '40', 'on_track'],
    ['increase', '41', 'on_track'],
    ['increase', '39', 'off_track'],
    ['decrease', '40', 'on_track'],
    ['decrease', '39', 'on_track'],
    ['decrease', '41', 'off_track'],
  ] as const)('%s, target = baseline = 40, actual %s → %s with no ratio', (direction, actual, status) => {
    const result = maintain(direction, actual);
    expect(result.status).toBe(status);
    expect(result.achievementPercent).toBeNull();
    expect(result.progressPercent).toBeNull();
    expect(result.flags).toEqual(['target_equals_baseline', 'end_target_equals_baseline']);
  });

  it('treats a sum target of 0 to date as met by any non-negative result', () => {
    // Q1 target 0 (start-up quarter), actual 0: target = b = 0 → on_track; progress 0 / 100 = 0 %.
    const result = evaluateIndicator(
      series({ endTarget: '100', periodTargets: [q(2026, 1, { value: '0' })], actuals: [q(2026, 1, { value: '0' })] }),
      '2026-03-31',
    );
    expect(result).toMatchObject({ status: 'on_track', achievementPercent: null, progressPercent: '0' });
  });

  it('is not assessable without a period target ended by the evaluation date, but shows progress', () => {
    // Baseline 40, end target 80, actual 60 (Q1), the first milestone is Q2.
    // Progress = (60 - 40) / (80 - 40) = 50 %.
    const result = evaluateIndicator(
      series({
        aggregation: 'latest',
        baseline: '40',
        endTarget: '80',
        periodTargets: [q(2026, 2, { value: '50' })],
        actuals: [q(2026, 1, { value: '60' })],
      }),
      Q2_END,
    );
    expect(result).toMatchObject({
      status: 'not_assessable',
      notAssessableReason: 'no_target_to_date',
      targetToDate: null,
      targetToDatePeriod: null,
      achievementPercent: null,
      progressPercent: '50',
    });
  });

  it('is not assessable with no targets at all and no end target', () => {
    const result = evaluateIndicator(series({ actuals: [q(2026, 1, { value: '5' })] }), '2026-03-31');
    expect(result).toMatchObject({
      status: 'not_assessable',
      notAssessableReason: 'no_target_to_date',
      progressPercent: null,
    });
  });

  it('flags targets on the wrong side of the baseline', () => {
    // Increase indicator, baseline 40, target 30: (35 - 40) / (30 - 40) = 50 %, flagged.
    const result = evaluateIndicator(
      series({
        aggregation: 'latest',
        baseline: '40',
        endTarget: '20',
        periodTargets: [q(2026, 1, { value: '30' })],
        actuals: [q(2026, 1, { value: '35' })],
      }),
      '2026-03-31',
    );
    expect(result.achievementPercent).toBe('50');
    expect(result.flags).toEqual(['target_not_beyond_baseline', 'end_target_not_beyond_baseline']);
  });
});

describe('evaluateIndicator: no data', () => {
  const input = series({
    aggregation: 'latest',
    baseline: null,
    endTarget: '80',
    periodTargets: [q(2026, 1, { value: '50' })],
  });

  it('is no_data when nothing is reported, taking precedence over a missing baseline', () => {
    const result = evaluateIndicator(input, Q2_END);
    expect(result).toEqual({
      evaluationPeriod: null,
      latestActual: null,
      actualToDate: null,
      actualToDateFraction: null,
      targetToDate: null,
      targetToDateFraction: null,
      targetToDatePeriod: null,
      endTarget: '80',
      baselineUsed: null,
      aggregationUsed: 'latest',
      achievementPercent: null,
      progressPercent: null,
      status: 'no_data',
      flags: [],
      thresholdsVersion: 1,
    } satisfies IndicatorEvaluation);
  });

  it('is no_data when the only reports end after the as-of date', () => {
    expect(evaluateIndicator({ ...input, actuals: [q(2026, 3, { value: '70' })] }, Q2_END).status).toBe('no_data');
  });

  it('is no_data when reported rows carry no value', () => {
    expect(evaluateIndicator({ ...input, actuals: [q(2026, 1, { value: null }), q(2026, 2, {})] }, Q2_END).status).toBe(
      'no_data',
    );
  });
});

describe('evaluateIndicator: overdue', () => {
  const reportedUpTo = (end: string, frequency: IndicatorSeriesInput['collectionFrequency']) =>
    series({
      collectionFrequency: frequency,
      periodTargets: [q(2025, 4, { value: '10' })],
      actuals: [{ periodStart: '2025-10-01', periodEnd: end, value: '10' }],
    });
  const overdue = (input: IndicatorSeriesInput, asOf: string, graceDays?: number) =>
    evaluateIndicator(input, asOf, DEFAULT_THRESHOLDS, graceDays === undefined ? {} : { graceDays }).flags.includes(
      'overdue',
    );

  it('quarterly: due one quarter after the last reported end, plus 30 days', () => {
    // Last report ends 2026-09-30; next period end 2026-12-31 (month ends stay month ends); + 30 days = 2027-01-30.
    const input = reportedUpTo(Q3_END, 'quarterly');
    expect(overdue(input, Q4_END)).toBe(false);
    expect(overdue(input, '2027-01-30')).toBe(false);
    expect(overdue(input, '2027-01-31')).toBe(true);
    expect(overdue(input, '2027-03-31')).toBe(true);
  });

  it('uses the grace days option', () => {
    // Grace 0: due 2026-12-31 exactly.
    const input = reportedUpTo(Q3_END, 'quarterly');
    expect(overdue(input, Q4_END, 0)).toBe(false);
    expect(overdue(input, '2027-01-01', 0)).toBe(true);
    // Grace 90: due 2026-12-31 + 90 = 2027-03-31.
    expect(overdue(input, '2027-03-31', 90)).toBe(false);
    expect(overdue(input, '2027-04-01', 90)).toBe(true);
  });

  it('semi-annual and annual intervals', () => {
    // Semi-annual, last end 2026-06-30: due 2026-12-31 + 30 = 2027-01-30.
    expect(overdue(reportedUpTo(Q2_END, 'semi_annual'), Q4_END)).toBe(false);
    expect(overdue(reportedUpTo(Q2_END, 'semi_annual'), '2027-03-31')).toBe(true);
    // Annual, last end 2025-12-31: due 2026-12-31 + 30 = 2027-01-30.
    const annual = reportedUpTo('2025-12-31', 'annual');
    expect(overdue(annual, Q4_END)).toBe(false);
    expect(overdue(annual, '2027-01-30')).toBe(false);
    expect(overdue(annual, '2027-01-31')).toBe(true);
  });

  it('end-of-project data is never overdue; an unknown frequency counts as quarterly', () => {
    expect(overdue(reportedUpTo('2025-12-31', 'end_of_project'), '2030-12-31')).toBe(false);
    expect(overdue(reportedUpTo(Q3_END, null), '2027-01-31')).toBe(true);
    expect(overdue(reportedUpTo(Q3_END, null), '2027-01-30')).toBe(false);
  });

  it('is not raised when nothing was ever reported', () => {
    expect(evaluateIndicator(series({}), '2030-12-31').flags).toEqual([]);
  });

  it('does not change the status', () => {
    const input = reportedUpTo('2025-12-31', 'quarterly');
    const result = evaluateIndicator(input, Q4_END);
    expect(result.flags).toEqual(['overdue']);
    expect(result.status).toBe('on_track'); // 10 / 10 = 100 %
  });
});

describe('evaluateIndicator: ordinal', () => {
  // Scale 1-5, baseline 2, target 4 (Q2), actuals 2 (Q1), 3 (Q2): latest with baseline.
  // (3 - 2) / (4 - 2) = 50 % → at_risk; end target 5: (3 - 2) / (5 - 2) = 33.333… %.
  const input = series({
    measure: 'ordinal',
    aggregation: 'latest',
    baseline: '2',
    endTarget: '5',
    periodTargets: [q(2026, 1, { value: '3' }), q(2026, 2, { value: '4' })],
    actuals: [q(2026, 1, { value: '2' }), q(2026, 2, { value: '3' })],
  });

  it('is evaluated as latest with its baseline', () => {
    expect(evaluateIndicator(input, Q2_END)).toMatchObject({
      actualToDate: '3',
      targetToDate: '4',
      baselineUsed: '2',
      achievementPercent: '50',
      progressPercent: `33.${'3'.repeat(38)}`,
      status: 'at_risk',
      flags: [],
    });
  });

  it('is never summed, even when declared sum (flagged)', () => {
    const result = evaluateIndicator({ ...input, aggregation: 'sum' }, Q2_END);
    expect(result).toMatchObject({ actualToDate: '3', achievementPercent: '50', aggregationUsed: 'latest' });
    expect(result.flags).toEqual(['aggregation_overridden']);
  });

  it('is assessable as a decrease declared sum, since ordinal is always latest', () => {
    // Decrease scale, baseline 4, target 2, actual 3: (3 - 4) / (2 - 4) = 50 %.
    const result = evaluateIndicator(
      {
        ...input,
        direction: 'decrease',
        aggregation: 'sum',
        baseline: '4',
        endTarget: '1',
        periodTargets: [q(2026, 2, { value: '2' })],
        actuals: [q(2026, 2, { value: '3' })],
      },
      Q2_END,
    );
    expect(result.achievementPercent).toBe('50');
    expect(result.flags).toEqual(['aggregation_overridden']);
  });
});

describe('evaluateIndicator: qualitative', () => {
  const input = series({
    measure: 'qualitative',
    aggregation: 'latest',
    baseline: 'No national referral mechanism',
    endTarget: 'Referral mechanism adopted and in use',
    periodTargets: [q(2026, 1, { value: 'Draft mechanism' }), q(2026, 2, { value: 'Mechanism adopted' })],
  });

  it.each([
    ['achieved', 'on_track'],
    ['partly_achieved', 'at_risk'],
    ['not_achieved', 'off_track'],
  ] as const)('rating %s → %s', (rating, status) => {
    const result = evaluateIndicator(
      {
        ...input,
        actuals: [q(2026, 1, { value: 'Drafted', rating: 'achieved' }), q(2026, 2, { value: 'Under review', rating })],
      },
      Q2_END,
    );
    expect(result).toEqual({
      evaluationPeriod: { start: '2026-04-01', end: Q2_END },
      latestActual: { value: 'Under review', rating, periodStart: '2026-04-01', periodEnd: Q2_END },
      actualToDate: 'Under review',
      actualToDateFraction: null,
      targetToDate: 'Mechanism adopted',
      targetToDateFraction: null,
      targetToDatePeriod: { start: '2026-04-01', end: Q2_END },
      endTarget: 'Referral mechanism adopted and in use',
      baselineUsed: null,
      aggregationUsed: 'latest',
      achievementPercent: null,
      progressPercent: null,
      status,
      flags: [],
      thresholdsVersion: 1,
    } satisfies IndicatorEvaluation);
  });

  it('is not assessable when the latest report has text but no rating', () => {
    const result = evaluateIndicator(
      { ...input, actuals: [q(2026, 1, { rating: 'achieved' }), q(2026, 2, { value: 'Consultations held' })] },
      Q2_END,
    );
    expect(result.status).toBe('not_assessable');
    expect(result.notAssessableReason).toBe('missing_rating');
    expect(result.latestActual).toMatchObject({ value: 'Consultations held', rating: null });
  });

  it('is no_data without reports, and judged at its evaluation date', () => {
    expect(evaluateIndicator(input, Q2_END).status).toBe('no_data');
    // Q1 rated achieved; as of Q4 end: judged on Q1 against the Q1 milestone, and overdue.
    const result = evaluateIndicator({ ...input, actuals: [q(2026, 1, { rating: 'achieved' })] }, Q4_END);
    expect(result).toMatchObject({ status: 'on_track', targetToDate: 'Draft mechanism', flags: ['overdue'] });
  });

  it('does not parse text baselines and targets as decimals', () => {
    expect(() => evaluateIndicator(input, Q2_END)).not.toThrow();
  });
});

describe('evaluateIndicator: overlapping periods', () => {
  it('uses the most specific latest period and flags the overlap', () => {
    // An annual 2026 value and a Q4 value both end 2026-12-31: the Q4 one (later start) is latest.
    const result = evaluateIndicator(
      series({
        aggregation: 'latest',
        baseline: '0',
        periodTargets: [q(2026, 4, { value: '100' })],
        actuals: [q(2026, 4, { value: '90' }), { periodStart: '2026-01-01', periodEnd: Q4_END, value: '10' }],
      }),
      Q4_END,
    );
    expect(result.evaluationPeriod).toEqual({ start: '2026-10-01', end: Q4_END });
    expect(result.actualToDate).toBe('90');
    expect(result.flags).toEqual(['overlapping_periods']);
  });
});

describe('evaluateIndicator: time zone independence', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('gives the same result whatever TZ is (dates are calendar strings, never local Date objects)', () => {
    const input = series({
      periodTargets: [q(2026, 4, { value: '10' })],
      actuals: [q(2026, 3, { value: '3' }), q(2026, 4, { value: '5' })],
    });
    const results = ['UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Los_Angeles', 'Asia/Kolkata'].map(
      (tz) => {
        process.env.TZ = tz;
        return {
          evaluation: evaluateIndicator(input, Q4_END),
          quarter: quarterOf('2026-12-31'),
          range: quarterRange(2026, 4),
        };
      },
    );
    for (const result of results) {
      expect(result.quarter).toEqual({ year: 2026, quarter: 4 });
      expect(result.range).toEqual({ start: '2026-10-01', end: '2026-12-31' });
      expect(result.evaluation.evaluationPeriod).toEqual({ start: '2026-10-01', end: Q4_END });
      // Sum 3 + 5 = 8; target 10 → 80 % → at_risk
      expect(result.evaluation.achievementPercent).toBe('80');
      expect(result).toEqual(results[0]);
    }
  });
});

describe('evaluateIndicator: never NaN, Infinity or a division error', () => {
  it('gives a defined result for every degenerate combination', () => {
    // Actual 30 or 60 against a target of 40 (b = 0) gives 75 % (at_risk) and 150 % (exceeded).
    const values = [null, '0', '20', '40'];
    const seen = new Set<string>();
    for (const measure of ['number', 'percentage', 'ordinal'] as const) {
      for (const aggregation of ['sum', 'latest'] as const) {
        for (const direction of ['increase', 'decrease'] as const) {
          for (const baseline of values) {
            for (const endTarget of values) {
              for (const target of values) {
                for (const actual of [null, '0', '30', '40', '60', 'den0']) {
                  const input = series({
                    measure,
                    aggregation,
                    direction,
                    baseline,
                    endTarget,
                    periodTargets: target === null ? [] : [q(2026, 1, { value: target })],
                    actuals:
                      actual === null
                        ? []
                        : actual === 'den0'
                          ? [
                              q(2026, 1, {
                                numerator: '0',
                                denominator: '0',
                                value: measure === 'percentage' ? null : '0',
                              }),
                            ]
                          : [q(2026, 1, { value: actual })],
                  });
                  const result = evaluateIndicator(input, '2026-03-31');
                  const text = JSON.stringify(result);
                  expect(text).not.toMatch(/NaN|Infinity/);
                  seen.add(result.status);
                  if (result.status === 'not_assessable') {
                    expect(NOT_ASSESSABLE_REASON_TEXT[result.notAssessableReason!]).toBeDefined();
                  } else {
                    expect(result.notAssessableReason).toBeUndefined();
                  }
                  for (const flag of result.flags) expect(EVALUATION_FLAGS).toContain(flag);
                }
              }
            }
          }
        }
      }
    }
    expect([...seen].sort()).toEqual(['at_risk', 'exceeded', 'no_data', 'not_assessable', 'off_track', 'on_track']);
  });
});

describe('evaluateIndicator: malformed input throws a clear error', () => {
  const valid = series({ periodTargets: [q(2026, 1, { value: '10' })], actuals: [q(2026, 1, { value: '8' })] });

  it.each<[string, () => unknown, string | RegExp]>([
    ['an impossible as-of date', () => evaluateIndicator(valid, '2026-02-30'), 'Invalid asOf "2026-02-30"'],
    ['a month 13 as-of date', () => evaluateIndicator(valid, '2026-13-01'), 'Invalid asOf "2026-13-01"'],
    [
      'a period ending before it starts',
      () =>
        evaluateIndicator(
          { ...valid, actuals: [{ periodStart: '2026-03-31', periodEnd: '2026-01-01', value: '1' }] },
          Q2_END,
        ),
      'Invalid actual #1 period: start 2026-03-31 is after end 2026-01-01',
    ],
    [
      'a malformed period date',
      () =>
        evaluateIndicator(
          { ...valid, periodTargets: [{ periodStart: '2026-01-01', periodEnd: '2026-02-30', value: '1' }] },
          Q2_END,
        ),
      'Invalid period target #1 period end "2026-02-30"',
    ],
    [
      'a non-decimal value',
      () => evaluateIndicator({ ...valid, actuals: [q(2026, 1, { value: '1,000' })] }, Q2_END),
      'Invalid decimal for actual 2026-01-01..2026-03-31 value: "1,000"',
    ],
    [
      'a non-decimal baseline',
      () => evaluateIndicator({ ...valid, baseline: 'n/a' }, Q2_END),
      'Invalid decimal for baseline',
    ],
    [
      'an unknown measure',
      () => evaluateIndicator({ ...valid, measure: 'nominal' as IndicatorSeriesInput['measure'] }, Q2_END),
      'Invalid measure "nominal"',
    ],
    [
      'an unknown rating',
      () => evaluateIndicator({ ...valid, actuals: [q(2026, 1, { rating: 'good' as PeriodValue['rating'] })] }, Q2_END),
      'Invalid actual #1 rating "good"',
    ],
    [
      'negative grace days',
      () => evaluateIndicator(valid, Q2_END, DEFAULT_THRESHOLDS, { graceDays: -1 }),
      'Invalid graceDays -1',
    ],
    [
      'unordered thresholds',
      () => evaluateIndicator(valid, Q2_END, { version: 1, atRiskFrom: '90', onTrackFrom: '85', exceededAbove: '115' }),
      /atRiskFrom <= onTrackFrom/,
    ],
    [
      'a malformed value in a period after the as-of date',
      () => evaluateIndicator({ ...valid, actuals: [q(2027, 1, { value: 'abc' })] }, Q2_END),
      'Invalid decimal for actual 2027-01-01..2027-03-31 value',
    ],
  ])('%s', (_name, run, message) => {
    expect(run).toThrow(message);
  });
});

describe('isIndicatorOverdue', () => {
  it('is due one collection interval plus the grace days after the last reported period', () => {
    // Q1 reported: the quarterly Q2 data is due by 2026-06-30 + 30 days = 2026-07-30.
    expect(isIndicatorOverdue('2026-03-31', 'quarterly', '2026-07-30', 30)).toBe(false);
    expect(isIndicatorOverdue('2026-03-31', 'quarterly', '2026-07-31', 30)).toBe(true);
    expect(isIndicatorOverdue('2026-03-31', null, '2026-07-31', 30)).toBe(true);
    expect(isIndicatorOverdue('2026-03-31', 'annual', '2026-07-31', 30)).toBe(false);
    expect(isIndicatorOverdue('2025-12-31', 'end_of_project', '2030-01-01', 0)).toBe(false);
  });

  it('agrees with the overdue flag of evaluateIndicator', () => {
    const input: IndicatorSeriesInput = {
      measure: 'number',
      direction: 'increase',
      aggregation: 'sum',
      baseline: '0',
      endTarget: '10',
      periodTargets: [],
      actuals: [q(2026, 1, { value: '1' })],
      collectionFrequency: 'semi_annual',
    };
    for (const asOf of ['2026-10-30', '2026-10-31'])
      expect(evaluateIndicator(input, asOf).flags.includes('overdue')).toBe(
        isIndicatorOverdue('2026-03-31', 'semi_annual', asOf),
      );
  });
});
