import { describe, expect, it } from '@jest/globals';
import { DomainException, type FieldError } from '#libs/common';
import type { IndicatorDoc, LogframeDocument } from './logframe-document.js';
import { planLogframe, referencedCodes, type LogframePlanContext } from './plan-logframe.js';

const indicator = (code: string, extra: Partial<IndicatorDoc> = {}): IndicatorDoc => ({
  code,
  title: `Indicator ${code}`,
  measure: 'number',
  direction: 'increase',
  aggregation: 'sum',
  periodTargets: [],
  ...extra,
});

const document = (indicators: IndicatorDoc[], sdgTargetCode = '16.4'): LogframeDocument => ({
  version: 1,
  sdgLinks: [],
  assumptions: [],
  impactIndicators: [],
  outcomes: [
    {
      code: 'OC1',
      statement: 'Criminal justice institutions counter illicit financial flows',
      sdgLinks: [{ sdgTargetCode, contribution: 'primary' }],
      assumptions: [],
      indicators,
      outputs: [],
    },
  ],
  unlinkedOutputs: [],
});

const context = (overrides: Partial<LogframePlanContext> = {}): LogframePlanContext => ({
  revisionId: 'rev-1',
  project: { id: 'project-1', startDate: '2026-01-01', endDate: '2028-12-31' },
  current: { outcomes: [], outputs: [], activities: [], indicators: [], assumptions: [] },
  series: new Map(),
  knownSdgTargets: new Set(['16.4']),
  knownSdgIndicators: new Set(['16.4.1']),
  standardIndicators: new Map(),
  ...overrides,
});

/** The thrown DomainException's code and field errors. */
function refusal(run: () => unknown): { code: string; errors: FieldError[] } {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainException) return { code: error.reason, errors: error.errors };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('planLogframe (pure planner and validator of a logframe replace)', () => {
  it('plans one row per element, keeps the stable id of a code already present and creates new series', () => {
    const plan = planLogframe(
      document([indicator('OC1.1', { baseline: { value: '20' }, endTarget: { value: '30' } }), indicator('OC1.2')]),
      context({
        current: {
          outcomes: [{ stableId: 'outcome-stable', code: 'OC1' }],
          outputs: [],
          activities: [],
          indicators: [],
          assumptions: [],
        },
      }),
    );
    expect(plan.outcomeRows).toHaveLength(1);
    expect(plan.outcomeRows[0].stableId).toBe('outcome-stable');
    expect(plan.indicatorRows.map((r) => [r.code, r.baselineValue, r.endTargetValue, r.position])).toEqual([
      ['OC1.1', '20', '30', 1],
      ['OC1.2', null, null, 2],
    ]);
    expect(plan.newSeries).toHaveLength(2);
    expect(plan.linkRows.map((l) => l.sdgTargetCode)).toEqual(['16.4']);
    expect(plan.projectId).toBe('project-1');
  });

  it('normalises a percentage from its numerator and denominator: 100 x 3 / 8 = 37.5', () => {
    const plan = planLogframe(
      document([
        indicator('OC1.1', {
          measure: 'percentage',
          aggregation: 'latest',
          baseline: { numerator: '3', denominator: '8' },
        }),
      ]),
      context(),
    );
    expect(plan.indicatorRows[0]).toMatchObject({
      baselineValue: '37.5',
      baselineNumerator: '3',
      baselineDenominator: '8',
    });
  });

  it('refuses a code used twice with DUPLICATE, naming both places', () => {
    const { code, errors } = refusal(() => planLogframe(document([indicator('OC1.1'), indicator('OC1.1')]), context()));
    expect(code).toBe('DUPLICATE');
    expect(errors).toEqual([
      {
        path: 'code',
        code: 'duplicate',
        params: { code: 'OC1.1', first: 'outcomes[0].indicators[0].code', second: 'outcomes[0].indicators[1].code' },
        message: "Code 'OC1.1' is used twice (outcomes[0].indicators[0].code and outcomes[0].indicators[1].code)",
      },
    ]);
  });

  it('lists every problem with its path: unknown SDG target and indicator, end target below the baseline', () => {
    const { code, errors } = refusal(() =>
      planLogframe(
        document(
          [indicator('OC1.1', { sdgIndicatorCode: '16.4.9', baseline: { value: '10' }, endTarget: { value: '5' } })],
          '16.99',
        ),
        context(),
      ),
    );
    expect(code).toBe('LOGFRAME_INVALID');
    expect(errors).toEqual([
      {
        path: 'outcomes[0].sdgLinks[0].sdgTargetCode',
        code: 'not_found',
        params: { entity: 'SDG target', sdgTargetCode: '16.99' },
        message: "SDG target '16.99' does not exist in the official framework",
      },
      {
        path: 'outcomes[0].indicators[0].sdgIndicatorCode',
        code: 'not_found',
        params: { entity: 'SDG indicator', sdgIndicatorCode: '16.4.9' },
        message: "SDG indicator '16.4.9' does not exist in the official framework",
      },
      {
        path: 'outcomes[0].indicators[0].endTarget.value',
        code: 'wrong_side',
        params: { side: 'above', baseline: '10', direction: 'increase' },
        message: 'must be above the baseline (10) for an indicator that should increase',
      },
    ]);
  });

  it('locks the measure of an indicator with actuals and refuses removing it unless retired', () => {
    const existing = {
      stableId: 'ind-1',
      code: 'OC1.1',
      measure: 'number' as const,
      unit: null,
      aggregation: 'sum' as const,
      direction: 'increase' as const,
      definition: null,
      iatiMeasure: null,
      flags: [],
    };
    const current = { outcomes: [], outputs: [], activities: [], indicators: [existing], assumptions: [] };
    const changed = refusal(() =>
      planLogframe(
        document([indicator('OC1.1', { measure: 'percentage', aggregation: 'sum' })]),
        context({ current, series: new Map([['ind-1', { actualCount: 3, retired: false }]]) }),
      ),
    );
    expect(changed.errors).toEqual([
      {
        path: 'outcomes[0].indicators[0].measure',
        code: 'cannot_change',
        params: { was: 'number', actualCount: 3 },
        message:
          "cannot change from 'number': this indicator has 3 actual(s); retire it and add a new indicator instead",
      },
    ]);
    const removed = refusal(() =>
      planLogframe(
        document([]),
        context({ current, series: new Map([['ind-1', { actualCount: 3, retired: false }]]) }),
      ),
    );
    expect(removed.errors[0]).toMatchObject({
      path: 'indicators',
      code: 'in_use',
      params: { indicator: 'OC1.1', actualCount: 3 },
    });
    expect(removed.errors[0].message).toMatch(/^Indicator OC1\.1 has 3 actual\(s\) and cannot be removed/);
    // Once retired, removing it is allowed.
    const plan = planLogframe(
      document([]),
      context({ current, series: new Map([['ind-1', { actualCount: 3, retired: true }]]) }),
    );
    expect(plan.indicatorRows).toEqual([]);
  });

  it('collects the referenced codes once each, normalised', () => {
    const refs = referencedCodes(
      document([
        indicator('OC1.1', { sdgIndicatorCode: '16.4.1' }),
        indicator('OC1.2', { sdgIndicatorCode: '16.4.1' }),
      ]),
    );
    expect(refs).toEqual({ sdgTargetCodes: ['16.4'], sdgIndicatorCodes: ['16.4.1'], standardIndicatorIds: [] });
  });
});
