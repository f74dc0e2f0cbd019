import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import type { Decimal } from 'decimal.js';
import { CalcDecimal, isDecimalString, toPlainString } from './decimal.js';
import { evaluateIndicator, type IndicatorSeriesInput, type PeriodValue } from './indicator-evaluation.js';
import { quarterRange } from './reporting-period.js';
import { rollUp, type RollUpInput } from './roll-up.js';
import {
  INDICATOR_STATUSES,
  type Aggregation,
  type CollectionFrequency,
  type Direction,
  type Measure,
  type MilestoneRating,
} from './vocabulary.js';

/**
 * Property-based tests (fast-check) of the calculations: pooling bounds, order independence and
 * totality (no NaN/Infinity, no throw) over random valid inputs. Every decimal is an exact string
 * built from a scaled integer, never a float. Runs are bounded (`numRuns`) and seeded by fast-check
 * (a failure prints its seed and counterexample for replay).
 */

const RUNS = { numRuns: 200 };

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

/** An exact decimal string: an integer in [min, max] divided by 10^0..10^3 (e.g. '-12.345', '0', '7'). */
function decimalString(min = -1_000_000, max = 1_000_000): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min, max }), fc.integer({ min: 0, max: 3 }))
    .map(([units, scale]) => toPlainString(new CalcDecimal(units).dividedBy(new CalcDecimal(10).pow(scale))));
}

/** A percentage pair with denominator > 0 and 0 <= numerator <= denominator (scaled integers). */
const positiveFraction: fc.Arbitrary<{ numerator: string; denominator: string }> = fc
  .tuple(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 2 }))
  .chain(([den, scale]) =>
    fc.integer({ min: 0, max: den }).map((num) => {
      const divisor = new CalcDecimal(10).pow(scale);
      return {
        numerator: toPlainString(new CalcDecimal(num).dividedBy(divisor)),
        denominator: toPlainString(new CalcDecimal(den).dividedBy(divisor)),
      };
    }),
  );

/** 2024 Q1 .. 2026 Q4 (12 quarters), by index. */
function quarterPeriod(index: number): { periodStart: string; periodEnd: string } {
  const { start, end } = quarterRange(2024 + Math.floor(index / 4), (index % 4) + 1);
  return { periodStart: start, periodEnd: end };
}

/**
 * Distinct periods: quarters 2024-2026 and, sometimes, calendar years (which overlap quarters, as
 * imported annual data may). No two periods are identical.
 */
const distinctPeriods: fc.Arbitrary<{ periodStart: string; periodEnd: string }[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 14 }), { minLength: 0, maxLength: 8 })
  .map((indexes) =>
    indexes.map((index) =>
      index < 12 ? quarterPeriod(index) : { periodStart: `${2012 + index}-01-01`, periodEnd: `${2012 + index}-12-31` },
    ),
  );

/** The value fields of a period row for `measure` (percentages: a pair, sometimes 0/0, sometimes a level). */
function rowFields(measure: Measure): fc.Arbitrary<Omit<PeriodValue, 'periodStart' | 'periodEnd'>> {
  switch (measure) {
    case 'percentage':
      return fc.oneof(
        { weight: 6, arbitrary: positiveFraction.map((pair) => ({ ...pair })) },
        { weight: 1, arbitrary: fc.constant({ numerator: '0', denominator: '0' }) },
        { weight: 1, arbitrary: decimalString(0, 100_000).map((value) => ({ value })) },
        { weight: 1, arbitrary: decimalString(0, 1000).map((numerator) => ({ numerator })) },
      );
    case 'qualitative':
      return fc.record({
        value: fc.constantFrom<string | null>(null, '', 'Draft policy', 'Policy adopted'),
        rating: fc.constantFrom<MilestoneRating | null>(null, 'achieved', 'partly_achieved', 'not_achieved'),
      });
    default:
      return fc.oneof(
        { weight: 8, arbitrary: decimalString().map((value) => ({ value })) },
        { weight: 1, arbitrary: fc.constant({ value: null }) },
      );
  }
}

/** Rows over distinct periods. */
function rows(measure: Measure): fc.Arbitrary<PeriodValue[]> {
  return distinctPeriods.chain((periods) =>
    fc.tuple(...periods.map((period) => rowFields(measure).map((fields) => ({ ...period, ...fields })))),
  );
}

/** A baseline: null, '0' or a random decimal. */
const baselineArb = fc.oneof(fc.constant<string | null>(null), fc.constant('0'), decimalString());

/** A valid indicator series of any measure, with targets sometimes equal to the baseline. */
const seriesArb: fc.Arbitrary<IndicatorSeriesInput> = fc
  .record({
    measure: fc.constantFrom<Measure>('number', 'percentage', 'ordinal', 'qualitative'),
    direction: fc.constantFrom<Direction>('increase', 'decrease'),
    aggregation: fc.constantFrom<Aggregation>('sum', 'latest'),
    collectionFrequency: fc.constantFrom<CollectionFrequency | null>(
      null,
      'quarterly',
      'semi_annual',
      'annual',
      'end_of_project',
    ),
    baseline: baselineArb,
    endTargetChoice: fc.constantFrom('null', 'baseline', 'random'),
    endTargetRandom: decimalString(),
    targetsAtBaseline: fc.boolean(),
  })
  .chain((base) =>
    fc
      .record({ actuals: rows(base.measure), targets: rows(base.measure) })
      .map(({ actuals, targets }): IndicatorSeriesInput => {
        const text = base.measure === 'qualitative';
        const endTarget =
          base.endTargetChoice === 'null'
            ? null
            : base.endTargetChoice === 'baseline'
              ? base.baseline
              : base.endTargetRandom;
        // Targets equal to the baseline (or to 0 when there is none): the "no ratio" case.
        const periodTargets =
          base.targetsAtBaseline && !text
            ? targets.map((row) => ({
                periodStart: row.periodStart,
                periodEnd: row.periodEnd,
                value: base.baseline ?? '0',
              }))
            : targets;
        return {
          measure: base.measure,
          direction: base.direction,
          aggregation: base.aggregation,
          baseline: text ? 'Baseline text' : base.baseline,
          endTarget: text ? 'End target text' : endTarget,
          periodTargets,
          actuals,
          collectionFrequency: base.collectionFrequency,
        };
      }),
  );

/** An as-of date: a quarter end from 2023 Q4 (before any data) to 2027 Q4, or a random day in 2026. */
const asOfArb = fc.oneof(
  fc
    .integer({ min: -1, max: 15 })
    .map((index) => quarterRange(2024 + Math.floor(index / 4), ((index + 4) % 4) + 1).end),
  fc
    .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
    .map(([month, day]) => `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`),
);

/** A permutation of `items`. */
function permutationOf<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  return fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
}

function percentOf(pair: { numerator: string; denominator: string }): Decimal {
  return new CalcDecimal(pair.numerator).times(100).dividedBy(pair.denominator);
}

function expectWithin(value: string | null, parts: Decimal[]): void {
  expect(value).not.toBeNull();
  const min = CalcDecimal.min(...parts);
  const max = CalcDecimal.max(...parts);
  const pooled = new CalcDecimal(value as string);
  if (pooled.lessThan(min) || pooled.greaterThan(max)) {
    throw new Error(`pooled ${value} outside [${toPlainString(min)}, ${toPlainString(max)}]`);
  }
}

/** Roll-up inputs: 1-8 project indicators over up to three standard indicators (or unmapped). */
const rollUpItemsArb: fc.Arbitrary<RollUpInput[]> = fc
  .array(
    fc.record({
      project: fc.integer({ min: 1, max: 5 }),
      standard: fc.constantFrom<string | null>('SI-N', 'SI-P', 'SI-O', null),
      numberActual: fc.option(decimalString(), { nil: null }),
      numberTarget: fc.option(decimalString(), { nil: null }),
      actualPair: fc.option(positiveFraction, { nil: null, freq: 6 }),
      targetPair: fc.option(positiveFraction, { nil: null, freq: 6 }),
      unit: fc.constantFrom<string | null>('people', 'people', 'people', 'People ', 'households', null),
      status: fc.constantFrom(...INDICATOR_STATUSES),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((drafts) =>
    drafts.map((draft, index): RollUpInput => {
      const code = `P${draft.project}`;
      const common = {
        projectId: `project-${draft.project}`,
        projectCode: code,
        indicatorId: `indicator-${index}`,
        standardIndicatorId: draft.standard,
        unit: draft.unit,
        status: draft.status,
        baselineUsed: '0',
      };
      if (draft.standard === 'SI-P') {
        return {
          ...common,
          measure: 'percentage',
          actualToDate: draft.actualPair === null ? null : toPlainString(percentOf(draft.actualPair)),
          actualToDateFraction: draft.actualPair,
          targetToDate: draft.targetPair === null ? null : toPlainString(percentOf(draft.targetPair)),
          targetToDateFraction: draft.targetPair,
        };
      }
      if (draft.standard === 'SI-O') {
        return { ...common, measure: 'ordinal', actualToDate: '3', actualToDateFraction: null, targetToDate: '4' };
      }
      return {
        ...common,
        measure: 'number',
        actualToDate: draft.numberActual,
        actualToDateFraction: null,
        targetToDate: draft.numberTarget,
      };
    }),
  );

// ---------------------------------------------------------------------------------------------
// (a) Pooled percentages stay within the range of their parts
// ---------------------------------------------------------------------------------------------

describe('property: pooled percentages lie within [min, max] of their parts', () => {
  it('evaluateIndicator (sum pooling over periods)', () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 8 })
          .chain((quarters) =>
            fc.tuple(
              ...quarters.map((index) => positiveFraction.map((pair) => ({ ...quarterPeriod(index), ...pair }))),
            ),
          ),
        (actuals) => {
          const result = evaluateIndicator(
            {
              measure: 'percentage',
              direction: 'increase',
              aggregation: 'sum',
              baseline: null,
              endTarget: '50',
              periodTargets: [],
              actuals,
              collectionFrequency: 'quarterly',
            },
            '2026-12-31',
          );
          expect(result.aggregationUsed).toBe('sum');
          expectWithin(
            result.actualToDate,
            actuals.map((row) => percentOf(row as { numerator: string; denominator: string })),
          );
          // And it is the pooled pair, never an average of the parts.
          const numerator = actuals.reduce((sum, row) => sum.plus(row.numerator as string), new CalcDecimal(0));
          const denominator = actuals.reduce((sum, row) => sum.plus(row.denominator as string), new CalcDecimal(0));
          expect(result.actualToDateFraction).toEqual({
            numerator: toPlainString(numerator),
            denominator: toPlainString(denominator),
          });
        },
      ),
      RUNS,
    );
  });

  it('rollUp (pooling across projects), for actuals and targets', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(positiveFraction, positiveFraction), { minLength: 1, maxLength: 8 }), (pairs) => {
        const items: RollUpInput[] = pairs.map(([actual, target], index) => ({
          projectId: `p${index}`,
          projectCode: `P${index}`,
          indicatorId: `i${index}`,
          standardIndicatorId: 'SI-P',
          measure: 'percentage',
          actualToDate: toPlainString(percentOf(actual)),
          actualToDateFraction: actual,
          targetToDate: toPlainString(percentOf(target)),
          targetToDateFraction: target,
          baselineUsed: '0',
          unit: '%',
        }));
        const [result] = rollUp(items);
        expect(result.notCombinedReason).toBeNull();
        expectWithin(
          result.combinedActualToDate,
          pairs.map(([actual]) => percentOf(actual)),
        );
        // And it is the pooled pair Σnum/Σden, never an average of the parts.
        const sum = (values: string[]) =>
          toPlainString(values.reduce((total, value) => total.plus(value), new CalcDecimal(0)));
        expect(result.combinedActualToDateFraction).toEqual({
          numerator: sum(pairs.map(([actual]) => actual.numerator)),
          denominator: sum(pairs.map(([actual]) => actual.denominator)),
        });
        expectWithin(
          result.combinedTargetToDate,
          pairs.map(([, target]) => percentOf(target)),
        );
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// (b) Results do not depend on the order rows arrive in
// ---------------------------------------------------------------------------------------------

describe('property: results do not depend on the order of the rows', () => {
  it('evaluateIndicator: shuffled actuals and targets give an identical evaluation', () => {
    fc.assert(
      fc.property(
        seriesArb.chain((input) =>
          fc.record({
            input: fc.constant(input),
            actuals: permutationOf(input.actuals),
            targets: permutationOf(input.periodTargets),
            asOf: asOfArb,
          }),
        ),
        ({ input, actuals, targets, asOf }) => {
          const shuffled = { ...input, actuals, periodTargets: targets };
          expect(evaluateIndicator(shuffled, asOf)).toEqual(evaluateIndicator(input, asOf));
        },
      ),
      RUNS,
    );
  });

  it('rollUp: shuffled inputs give identical results (combined values included)', () => {
    fc.assert(
      fc.property(
        rollUpItemsArb.chain((items) => fc.record({ items: fc.constant(items), shuffled: permutationOf(items) })),
        ({ items, shuffled }) => {
          expect(rollUp(shuffled)).toEqual(rollUp(items));
        },
      ),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// (c) Totality: never NaN/Infinity, never a throw, for valid inputs
// ---------------------------------------------------------------------------------------------

describe('property: defined results for every valid input', () => {
  /** The decimal figures of an evaluation that must be decimal strings (or null). */
  const DECIMAL_FIELDS = ['achievementPercent', 'progressPercent', 'baselineUsed'] as const;
  const QUANTITATIVE_FIELDS = ['actualToDate', 'targetToDate', 'endTarget'] as const;

  it('evaluateIndicator never throws and never returns NaN or Infinity', () => {
    fc.assert(
      fc.property(seriesArb, asOfArb, (input, asOf) => {
        const result = evaluateIndicator(input, asOf);
        expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
        expect(INDICATOR_STATUSES).toContain(result.status);
        const fields = input.measure === 'qualitative' ? DECIMAL_FIELDS : [...DECIMAL_FIELDS, ...QUANTITATIVE_FIELDS];
        for (const field of fields) {
          const value = result[field];
          if (value !== null) expect(isDecimalString(value)).toBe(true);
        }
        for (const pair of [result.actualToDateFraction, result.latestActual?.fraction]) {
          if (pair) expect(isDecimalString(pair.numerator) && isDecimalString(pair.denominator)).toBe(true);
        }
        // A ratio exists only for an assessed status, and a reason only for not_assessable.
        if (result.achievementPercent !== null)
          expect(['off_track', 'at_risk', 'on_track', 'exceeded']).toContain(result.status);
        expect(result.notAssessableReason !== undefined).toBe(result.status === 'not_assessable');
      }),
      RUNS,
    );
  });

  it('rollUp never throws and never returns NaN or Infinity', () => {
    fc.assert(
      fc.property(rollUpItemsArb, (items) => {
        const results = rollUp(items);
        expect(JSON.stringify(results)).not.toMatch(/NaN|Infinity/);
        expect(results.reduce((count, result) => count + result.projects.length, 0)).toBe(items.length);
        for (const result of results) {
          for (const value of [
            result.combinedActualToDate,
            result.combinedTargetToDate,
            result.combinedAchievementPercent,
          ]) {
            if (value !== null) expect(isDecimalString(value)).toBe(true);
          }
          if (result.notCombinedCode !== null) {
            expect([
              result.combinedActualToDate,
              result.combinedTargetToDate,
              result.combinedAchievementPercent,
            ]).toEqual([null, null, null]);
          }
        }
      }),
      RUNS,
    );
  });
});
