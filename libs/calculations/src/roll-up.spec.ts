import { describe, it, expect } from '@jest/globals';
import { CalcDecimal, toPlainString } from './decimal.js';
import { rollUp, ROLL_UP_NOT_COMBINED_TEXT, type RollUpInput, type RollUpResult } from './roll-up.js';
import { roundPercent } from './round-percent.js';

/** A number indicator of project `code` mapped to standard indicator `SI-1`, with overrides. */
function item(code: string, overrides: Partial<RollUpInput> = {}): RollUpInput {
  return {
    projectId: `p-${code}`,
    projectCode: code,
    indicatorId: `i-${code}`,
    standardIndicatorId: 'SI-1',
    measure: 'number',
    actualToDate: null,
    actualToDateFraction: null,
    targetToDate: null,
    baselineUsed: '0', // b of a `sum` indicator
    unit: 'people',
    ...overrides,
  };
}

/** A percentage indicator with actual pair `n/d` and, optionally, target pair `tn/td`. */
function pct(
  code: string,
  n: string,
  d: string,
  target?: [string, string],
  overrides: Partial<RollUpInput> = {},
): RollUpInput {
  // Exact percent, as evaluateIndicator gives it (null for a zero denominator).
  const percent = (a: string, b: string) =>
    new CalcDecimal(b).isZero() ? null : toPlainString(new CalcDecimal(a).times(100).dividedBy(b));
  return item(code, {
    measure: 'percentage',
    unit: '%',
    actualToDate: percent(n, d),
    actualToDateFraction: { numerator: n, denominator: d },
    ...(target === undefined
      ? {}
      : {
          targetToDate: percent(target[0], target[1]),
          targetToDateFraction: { numerator: target[0], denominator: target[1] },
        }),
    ...overrides,
  });
}

const ZERO_COUNTS = { off_track: 0, at_risk: 0, on_track: 0, exceeded: 0, no_data: 0, not_assessable: 0 };

describe('rollUp: numbers', () => {
  // Three projects mapped to SI-1 "people trained":
  //   A (sum):    actual to date 120, target to date 150
  //   B (latest): actual to date 80.5, target to date 100   (its own to-date value, whatever its aggregation)
  //   C (sum):    actual to date 0.1,  target to date 0.2
  // Combined actual = 120 + 80.5 + 0.1 = 200.6; combined target = 150 + 100 + 0.2 = 250.2;
  // achievement = 100 · 200.6 / 250.2 = 100300/1251 = 80.175859…% (b = 0) → 80.2 when presented.
  const items = [
    item('C', { actualToDate: '0.1', targetToDate: '0.2', status: 'at_risk' }),
    item('A', { actualToDate: '120', targetToDate: '150', status: 'at_risk' }),
    item('B', { actualToDate: '80.5', targetToDate: '100', status: 'at_risk' }),
  ];

  it('adds each project’s to-date value exactly, and the targets', () => {
    const [result] = rollUp(items);
    expect(result).toMatchObject({
      standardIndicatorId: 'SI-1',
      measure: 'number',
      unit: 'people',
      combinedActualToDate: '200.6',
      combinedTargetToDate: '250.2',
      combinedActualToDateFraction: null,
      combinedTargetToDateFraction: null,
      notCombinedCode: null,
      notCombinedReason: null,
      notes: [],
      statusCounts: { ...ZERO_COUNTS, at_risk: 3 },
    } satisfies Partial<RollUpResult>);
    // 100 · 200.6 / 250.2 = 100300 / 1251, to 40 significant digits half-up:
    expect(result.combinedAchievementPercent).toBe('80.17585931254996003197442046362909672262');
    expect(roundPercent(result.combinedAchievementPercent)).toBe('80.2');
    // Projects sorted by code, whatever the input order.
    expect(result.projects.map((p) => p.projectCode)).toEqual(['A', 'B', 'C']);
    expect(result.projects[0]).toEqual({
      projectId: 'p-A',
      projectCode: 'A',
      indicatorId: 'i-A',
      actualToDate: '120',
      targetToDate: '150',
      actualToDateFraction: null,
      targetToDateFraction: null,
      baselineUsed: '0',
      unit: 'people',
      status: 'at_risk',
    });
  });

  it('computes exactly, never with floats', () => {
    // 0.1 + 0.2 = 0.3 exactly (floats: 0.30000000000000004); target 0.3 → 100 %.
    const [result] = rollUp([
      item('A', { actualToDate: '0.1', targetToDate: '0.1' }),
      item('B', { actualToDate: '0.2', targetToDate: '0.2' }),
    ]);
    expect(result.combinedActualToDate).toBe('0.3');
    expect(result.combinedAchievementPercent).toBe('100');
  });

  it('leaves out a project without data, and says so', () => {
    // A 30/40, B no data at all: combined 30/40 = 75 % (B is on neither side).
    const [result] = rollUp([item('A', { actualToDate: '30', targetToDate: '40' }), item('B', { status: 'no_data' })]);
    expect(result).toMatchObject({
      combinedActualToDate: '30',
      combinedTargetToDate: '40',
      combinedAchievementPercent: '75',
    });
    expect(result.notes).toEqual([
      'No actual to date (left out of the combined actual): B.',
      'No target to date (left out of the combined target): B.',
    ]);
    expect(result.statusCounts.no_data).toBe(1);
  });

  it('gives no achievement when the projects with actuals differ from those with targets', () => {
    // A 30 of 40; B 25 with no target ended yet. 55 / 40 would overstate achievement: null.
    const [result] = rollUp([item('A', { actualToDate: '30', targetToDate: '40' }), item('B', { actualToDate: '25' })]);
    expect(result).toMatchObject({
      combinedActualToDate: '55',
      combinedTargetToDate: '40',
      combinedAchievementPercent: null,
    });
    expect(result.notes).toContain(
      'No combined achievement: the projects with an actual to date differ from those with a target to date.',
    );
  });

  it('gives no achievement when the combined target is 0, and none without targets', () => {
    const [zero] = rollUp([
      item('A', { actualToDate: '3', targetToDate: '0' }),
      item('B', { actualToDate: '0', targetToDate: '0' }),
    ]);
    expect(zero).toMatchObject({
      combinedActualToDate: '3',
      combinedTargetToDate: '0',
      combinedAchievementPercent: null,
    });
    expect(zero.notes).toEqual(['No combined achievement: the combined target to date is 0.']);
    const [none] = rollUp([item('A', { actualToDate: '3' })]);
    expect(none).toMatchObject({
      combinedActualToDate: '3',
      combinedTargetToDate: null,
      combinedAchievementPercent: null,
    });
  });

  it('has no combined value when nobody reported', () => {
    const [result] = rollUp([item('A'), item('B')]);
    expect(result).toMatchObject({
      combinedActualToDate: null,
      combinedTargetToDate: null,
      combinedAchievementPercent: null,
      notCombinedCode: null,
    });
  });

  it('notes several indicators of one project mapped to the same standard indicator', () => {
    const [result] = rollUp([
      item('A', { actualToDate: '10', targetToDate: '10' }),
      item('A', { indicatorId: 'i-A2', actualToDate: '5', targetToDate: '10' }),
    ]);
    expect(result.combinedActualToDate).toBe('15');
    expect(result.notes).toEqual([
      'Several indicators of one project map to this standard indicator and are all included: A.',
    ]);
  });
});

describe('rollUp: percentages are pooled, never added or averaged', () => {
  // Project A 30/40 = 75 %, project B 10/60 = 16.67 %.
  // Pooled: (30 + 10) / (40 + 60) = 40/100 = 40 %. The average (75 + 16.67)/2 = 45.83 % is wrong,
  // and so is the sum 91.67 %. Targets A 20/40 = 50 %, B 30/60 = 50 %: pooled 50/100 = 50 %.
  // Achievement = 100 · 40 / 50 = 80 %.
  const items = [pct('A', '30', '40', ['20', '40']), pct('B', '10', '60', ['30', '60'])];

  it('pools numerators and denominators across projects', () => {
    const [result] = rollUp(items);
    expect(result).toMatchObject({
      measure: 'percentage',
      unit: '%',
      combinedActualToDate: '40',
      combinedActualToDateFraction: { numerator: '40', denominator: '100' },
      combinedTargetToDate: '50',
      combinedTargetToDateFraction: { numerator: '50', denominator: '100' },
      combinedAchievementPercent: '80',
      notCombinedCode: null,
      notes: [],
    });
    expect(roundPercent(result.combinedActualToDate)).not.toBe('45.8');
  });

  it('weights by denominator: pooled targets of different sizes', () => {
    // A 30/40 (target 36/40 = 90 %), B 10/60 (target 6/60 = 10 %).
    // Pooled target = 42/100 = 42 % (the average would be 50 %); achievement = 40 / 42 = 95.238…% → 95.2.
    const [result] = rollUp([pct('A', '30', '40', ['36', '40']), pct('B', '10', '60', ['6', '60'])]);
    expect(result.combinedTargetToDate).toBe('42');
    expect(roundPercent(result.combinedAchievementPercent)).toBe('95.2');
  });

  it('cannot pool a percentage without numerator/denominator, and names the project', () => {
    // B is an imported level of 70 % without its pair: no combined value at all.
    const result = rollUp(
      [items[0], item('B', { measure: 'percentage', unit: '%', actualToDate: '70', targetToDate: '50' }), items[1]].map(
        (row, index) => (index === 2 ? { ...row, projectCode: 'C', projectId: 'p-C', indicatorId: 'i-C' } : row),
      ),
    )[0];
    expect(result).toMatchObject({
      combinedActualToDate: null,
      combinedTargetToDate: null,
      combinedActualToDateFraction: null,
      combinedTargetToDateFraction: null,
      combinedAchievementPercent: null,
      notCombinedCode: 'percentage_not_poolable',
      notCombinedReason: `${ROLL_UP_NOT_COMBINED_TEXT.percentage_not_poolable} Without numerator/denominator: B.`,
    });
    expect(result.projects.map((p) => [p.projectCode, p.actualToDate])).toEqual([
      ['A', '75'],
      ['B', '70'],
      ['C', `16.${'6'.repeat(37)}7`],
    ]);
  });

  it('weights targets without a pair by each project’s actual denominator', () => {
    // Targets given only as levels: A 50 % (actual 30/40), B 60 % (actual 10/60).
    // Combined target = (50 × 40 + 60 × 60)/(40 + 60) = (2000 + 3600)/100 = 56 %, never the mean 55 %.
    // Pooled actual 40/100 = 40 %; b = 0 (sum): achievement = 100 · 40/56 = 71.428571…% → at_risk.
    const [result] = rollUp([
      pct('A', '30', '40', undefined, { targetToDate: '50' }),
      pct('B', '10', '60', undefined, { targetToDate: '60' }),
    ]);
    expect(result).toMatchObject({
      combinedActualToDate: '40',
      combinedTargetToDate: '56',
      combinedTargetToDateFraction: null,
      combinedBaseline: '0',
      combinedStatus: 'at_risk',
      notCombinedCode: null,
    });
    expect(roundPercent(result.combinedAchievementPercent)).toBe('71.4');
    expect(result.notes).toEqual([
      'Combined target weighted by each project’s actual denominator: Σ(targetᵢ × denᵢ)/Σdenᵢ.',
    ]);
  });

  it('gives no combined target when a target has neither a pair nor an actual denominator', () => {
    const [result] = rollUp([
      pct('A', '30', '40', ['20', '40']),
      item('B', { measure: 'percentage', unit: '%', targetToDate: '50' }), // no actual yet
    ]);
    expect(result).toMatchObject({ combinedActualToDate: '75', combinedTargetToDate: null });
    expect(result.notes).toContain(
      'Targets without numerator/denominator and without an actual denominator to weight them (B): no combined target (percentages are never added or averaged).',
    );
  });

  it('pools around a zero denominator, and gives no value when the pooled denominator is 0', () => {
    // A 0/0 (nobody eligible; its own percent is undefined), B 15/20: pooled 15/20 = 75 %.
    const [around] = rollUp([pct('A', '0', '0'), pct('B', '15', '20')]);
    expect(around.combinedActualToDate).toBe('75');
    expect(around.combinedActualToDateFraction).toEqual({ numerator: '15', denominator: '20' });
    const [zero] = rollUp([pct('A', '0', '0'), pct('B', '0', '0')]);
    expect(zero).toMatchObject({
      combinedActualToDate: null,
      combinedActualToDateFraction: { numerator: '0', denominator: '0' },
    });
    expect(zero.notes).toContain('The pooled denominator of the actuals is 0: no combined actual.');
  });
});

describe('rollUp: what is never combined', () => {
  it('returns unmapped indicators as per-project rows, after the standard indicators', () => {
    const results = rollUp([
      item('B', { standardIndicatorId: null, actualToDate: '5', targetToDate: '10' }),
      item('A', { standardIndicatorId: 'SI-2', actualToDate: '1', targetToDate: '2' }),
      item('A', { standardIndicatorId: null, indicatorId: 'i-A9', actualToDate: '7', targetToDate: '10' }),
    ]);
    expect(results.map((r) => [r.standardIndicatorId, r.projects.map((p) => p.indicatorId)])).toEqual([
      ['SI-2', ['i-A']],
      [null, ['i-A9']],
      [null, ['i-B']],
    ]);
    expect(results[2]).toMatchObject({
      combinedActualToDate: null,
      combinedTargetToDate: null,
      combinedAchievementPercent: null,
      notCombinedCode: 'not_mapped',
      notCombinedReason: ROLL_UP_NOT_COMBINED_TEXT.not_mapped,
    });
    expect(results[2].projects[0].actualToDate).toBe('5');
  });

  it.each([
    ['ordinal', ['3', '4', '4']],
    ['qualitative', ['Policy drafted', 'Policy adopted', 'Policy adopted']],
  ] as const)('never combines %s indicators: status counts only', (measure, [drafted, adopted, target]) => {
    const [result] = rollUp([
      item('A', { measure, unit: null, actualToDate: drafted, targetToDate: target, status: 'at_risk' }),
      item('B', { measure, unit: null, actualToDate: adopted, targetToDate: target, status: 'on_track' }),
      item('C', { measure, unit: null, status: 'no_data' }),
    ]);
    expect(result).toMatchObject({
      measure,
      combinedActualToDate: null,
      combinedTargetToDate: null,
      combinedAchievementPercent: null,
      notCombinedCode: 'measure_not_combinable',
      notCombinedReason: ROLL_UP_NOT_COMBINED_TEXT.measure_not_combinable,
      statusCounts: { ...ZERO_COUNTS, at_risk: 1, on_track: 1, no_data: 1 },
    });
  });

  it('does not combine different units, naming them', () => {
    const [result] = rollUp([
      item('A', { actualToDate: '10', unit: 'people' }),
      item('B', { actualToDate: '4', unit: 'households' }),
      item('C', { actualToDate: '6', unit: ' People ' }), // same unit as A, trimmed, ignoring case
      item('D', { actualToDate: '1', unit: null }),
    ]);
    expect(result).toMatchObject({ combinedActualToDate: null, unit: null, notCombinedCode: 'mixed_units' });
    expect(result.notCombinedReason).toBe(
      `${ROLL_UP_NOT_COMBINED_TEXT.mixed_units} Units: no unit (D), "households" (B), "people" (A, C).`,
    );
  });

  it('combines units that differ only in case or spacing', () => {
    const [result] = rollUp([
      item('A', { actualToDate: '10', unit: 'people' }),
      item('B', { actualToDate: '6', unit: ' People ' }),
    ]);
    expect(result).toMatchObject({ combinedActualToDate: '16', unit: 'people', notCombinedCode: null });
  });

  it('does not combine different measures under one standard indicator', () => {
    const [result] = rollUp([item('A', { actualToDate: '10' }), pct('B', '1', '2')]);
    expect(result).toMatchObject({ measure: 'mixed', combinedActualToDate: null, notCombinedCode: 'mixed_measures' });
    expect(result.notCombinedReason).toBe(
      `${ROLL_UP_NOT_COMBINED_TEXT.mixed_measures} Measures: number (A), percentage (B).`,
    );
  });

  it('returns nothing for no input', () => {
    expect(rollUp([])).toEqual([]);
  });
});

describe('rollUp: baselines (combined achievement uses the combined baseline, as a project does)', () => {
  it('two latest projects at baseline 20, target 30, actual 25 roll up to 50 % (at risk), not 83 %', () => {
    // Each project: (25 − 20)/(30 − 20) = 50 % → at_risk. Combined: A = 50, T = 60, B = 40:
    // (50 − 40)/(60 − 40) = 10/20 = 50 % → at_risk. Ignoring the baselines would give 50/60 = 83.3 %.
    const latest = { actualToDate: '25', targetToDate: '30', baselineUsed: '20', status: 'at_risk' as const };
    const [result] = rollUp([item('A', latest), item('B', latest)]);
    expect(result).toMatchObject({
      combinedActualToDate: '50',
      combinedTargetToDate: '60',
      combinedBaseline: '40',
      combinedAchievementPercent: '50',
      combinedStatus: 'at_risk',
    });
  });

  it('pools percentage baselines weighted by the actual denominators', () => {
    // A: baseline 20 %, actual 30/60 (50 %), target 40 %; B: baseline 10 %, actual 12/40 (30 %), target 30 %.
    // Actual = 42/100 = 42 %; target = (40 × 60 + 30 × 40)/100 = 36 %; baseline = (20 × 60 + 10 × 40)/100 = 16 %.
    // Achievement = (42 − 16)/(36 − 16) = 26/20 = 130 % → exceeded (above 115).
    const [result] = rollUp([
      pct('A', '30', '60', undefined, { targetToDate: '40', baselineUsed: '20' }),
      pct('B', '12', '40', undefined, { targetToDate: '30', baselineUsed: '10' }),
    ]);
    expect(result).toMatchObject({
      combinedActualToDate: '42',
      combinedTargetToDate: '36',
      combinedBaseline: '16',
      combinedAchievementPercent: '130',
      combinedStatus: 'exceeded',
    });
  });

  it('uses pooled baseline pairs when every contributor has one', () => {
    // Baselines 10/50 and 30/50: pooled 40/100 = 40 % (the weighted form would give the same here
    // only by chance of equal denominators; here actual denominators differ: 20 and 80).
    // Actual = (10 + 60)/(20 + 80) = 70 %; target pairs 12/20 and 64/80 → 76/100 = 76 %.
    // Achievement = (70 − 40)/(76 − 40) = 30/36 = 83.33…% → at_risk (below 85).
    const [result] = rollUp([
      pct('A', '10', '20', ['12', '20'], {
        baselineUsed: '20',
        baselineFraction: { numerator: '10', denominator: '50' },
      }),
      pct('B', '60', '80', ['64', '80'], {
        baselineUsed: '60',
        baselineFraction: { numerator: '30', denominator: '50' },
      }),
    ]);
    expect(result.combinedBaseline).toBe('40');
    expect(roundPercent(result.combinedAchievementPercent)).toBe('83.3');
    expect(result.combinedStatus).toBe('at_risk');
  });

  it('gives only status counts when a contributor has no baseline', () => {
    const [result] = rollUp([
      item('A', { actualToDate: '25', targetToDate: '30', baselineUsed: '20', status: 'at_risk' }),
      item('B', { actualToDate: '25', targetToDate: '30', baselineUsed: null, status: 'not_assessable' }),
    ]);
    expect(result).toMatchObject({ combinedBaseline: null, combinedAchievementPercent: null, combinedStatus: null });
    expect(result.statusCounts).toMatchObject({ at_risk: 1, not_assessable: 1 });
    expect(result.notes).toContain(
      'No baseline for B: no combined baseline and no combined achievement, only status counts.',
    );
  });
});

describe('rollUp: order independence and input checks', () => {
  it('gives the same result whatever the order of the inputs', () => {
    const items = [
      pct('A', '30', '40', ['20', '40'], { standardIndicatorId: 'SI-P' }),
      pct('B', '10', '60', ['30', '60'], { standardIndicatorId: 'SI-P' }),
      item('A', { indicatorId: 'n-A', actualToDate: '5', targetToDate: '7' }),
      item('B', { indicatorId: 'n-B', actualToDate: '2.5', targetToDate: '3' }),
      item('C', { standardIndicatorId: null, actualToDate: '1' }),
    ];
    const expected = rollUp(items);
    expect(rollUp([...items].reverse())).toEqual(expected);
    expect(rollUp([items[2], items[4], items[0], items[3], items[1]])).toEqual(expected);
    expect(expected.map((r) => r.standardIndicatorId)).toEqual(['SI-1', 'SI-P', null]);
  });

  it.each<[string, RollUpInput[], string]>([
    [
      'a non-decimal actual',
      [item('A', { actualToDate: '1,000' })],
      'Invalid decimal for roll-up input #1 (A i-A) actualToDate: "1,000"',
    ],
    [
      'a non-decimal numerator',
      [item('A', { measure: 'percentage', actualToDateFraction: { numerator: 'x', denominator: '2' } })],
      'Invalid decimal for roll-up input #1 (A i-A) actualToDateFraction numerator: "x"',
    ],
    [
      'an unknown measure',
      [item('A', { measure: 'nominal' as RollUpInput['measure'] })],
      'Invalid roll-up input #1 measure "nominal"',
    ],
    [
      'an unknown status',
      [item('A', { status: 'fine' as RollUpInput['status'] })],
      'Invalid roll-up input #1 status "fine"',
    ],
    ['the same indicator twice', [item('A'), item('A')], 'Invalid roll-up input #2: indicator "i-A" appears twice'],
    ['an empty project code', [item('')], 'Invalid roll-up input #1: projectCode must be a non-empty string'],
  ])('throws on %s', (_name, items, message) => {
    expect(() => rollUp(items)).toThrow(message);
  });
});
