import { describe, expect, it } from '@jest/globals';
import type {
  AssumptionEntity,
  IndicatorEntity,
  LogframeRevisionEntity,
  OutcomeEntity,
  OutputEntity,
  PeriodTargetEntity,
  ProjectEntity,
  SdgLinkEntity,
} from '#libs/database';
import type { IndicatorNode, LogframeTree, OutcomeNode, OutputNode } from '#libs/logframe';
import {
  CHECKLIST_RULES,
  type ChecklistItem,
  type ChecklistResult,
  impliedSdgTarget,
  isPeopleCounting,
  runChecklist,
} from './checklist.js';

// ── A small factory of hand-built logframe trees (plain objects cast to the entity types) ──

type Target = [periodStart: string, periodEnd: string, value: string | null];

function indicator(code: string, fields: Partial<IndicatorEntity>, targets: Target[]): IndicatorNode {
  const row = {
    id: `row-${code}`,
    stableId: `id-${code}`,
    revisionId: 'rev-1',
    level: 'output',
    outcomeId: null,
    outputId: null,
    code,
    title: `Indicator ${code}`,
    definition: null,
    measure: 'number',
    iatiMeasure: null,
    unit: 'units',
    direction: 'increase',
    aggregation: 'sum',
    ordinalScale: null,
    baselineValue: '0',
    baselineNumerator: null,
    baselineDenominator: null,
    baselineYear: 2023,
    baselineDate: null,
    baselineComment: null,
    baselineNotAvailableReason: null,
    baselineDueDate: null,
    endTargetValue: null,
    endTargetNumerator: null,
    endTargetDenominator: null,
    endTargetDescription: null,
    meansOfVerification: 'Project monitoring records',
    dataSource: null,
    collectionFrequency: 'quarterly',
    requiredDisaggregations: [],
    standardIndicatorId: null,
    sdgIndicatorCode: null,
    flags: [],
    position: 0,
    ...fields,
  } as unknown as IndicatorEntity;
  const periodTargets = targets.map(
    ([periodStart, periodEnd, value]) =>
      ({
        id: `pt-${code}-${periodEnd}`,
        indicatorId: row.id,
        periodStart,
        periodEnd,
        value,
        numerator: null,
        denominator: null,
        description: null,
        comment: null,
      }) as unknown as PeriodTargetEntity,
  );
  return { indicator: row, periodTargets };
}

function link(
  sdgTargetCode: string,
  contribution: 'primary' | 'secondary' = 'secondary',
  on: { outcomeId?: string; outputId?: string } = {},
): SdgLinkEntity {
  return {
    id: `link-${sdgTargetCode}-${on.outcomeId ?? on.outputId ?? 'project'}`,
    revisionId: 'rev-1',
    outcomeId: on.outcomeId ?? null,
    outputId: on.outputId ?? null,
    sdgTargetCode,
    contribution,
    rationale: null,
    source: 'entered',
  } as unknown as SdgLinkEntity;
}

function output(code: string, outcomeId: string | null, indicators: IndicatorNode[]): OutputNode {
  return {
    output: {
      id: `row-${code}`,
      stableId: `id-${code}`,
      revisionId: 'rev-1',
      outcomeId,
      code,
      statement: `Output ${code}`,
      position: 0,
    } as unknown as OutputEntity,
    indicators,
    activities: [],
    sdgLinks: [],
    assumptions: [],
  };
}

function assumption(statement: string, on: { outcomeId?: string; outputId?: string } = {}): AssumptionEntity {
  return {
    id: `as-${statement}`,
    stableId: `as-${statement}`,
    revisionId: 'rev-1',
    outcomeId: on.outcomeId ?? null,
    outputId: on.outputId ?? null,
    kind: 'assumption',
    statement,
    position: 0,
  } as unknown as AssumptionEntity;
}

/**
 * A complete logframe that passes: project GLOT59 (2024–2025) with a theory of change, SDG targets
 * 16.4 (primary) and 5.2, one assumption; impact indicator IM1 (decrease, latest); outcome OC1 linked
 * to 16.4 with a percentage indicator naming SDG indicator 16.4.1 and a qualitative one; output OP1.1
 * (people trained, sum, by sex) and OP1.2 (guidelines, sum; an ordinal score, latest).
 */
function completeTree(): LogframeTree {
  const im1 = indicator(
    'IM1',
    {
      level: 'impact',
      title: 'Average time to dispose of a trafficking case',
      unit: 'days',
      direction: 'decrease',
      aggregation: 'latest',
      baselineValue: '300',
      endTargetValue: '180',
      meansOfVerification: 'Court case management system',
    },
    [
      ['2024-01-01', '2024-12-31', '250'],
      ['2025-01-01', '2025-12-31', '180'],
    ],
  );
  const oc1i1 = indicator(
    'OC1-I1',
    {
      level: 'outcome',
      outcomeId: 'row-OC1',
      title: 'Share of trafficking prosecutions resulting in conviction',
      measure: 'percentage',
      unit: '% of prosecutions',
      aggregation: 'latest',
      baselineValue: '20',
      endTargetValue: '35',
      meansOfVerification: 'Prosecution service annual statistics',
      sdgIndicatorCode: '16.4.1',
    },
    [
      ['2024-01-01', '2024-12-31', '25'],
      ['2025-01-01', '2025-12-31', '35'],
    ],
  );
  const oc1i2 = indicator(
    'OC1-I2',
    {
      level: 'outcome',
      outcomeId: 'row-OC1',
      title: 'National anti-trafficking strategy adopted',
      measure: 'qualitative',
      unit: null,
      aggregation: 'latest',
      baselineValue: null,
      baselineComment: 'No national strategy exists',
      endTargetDescription: 'Strategy adopted by parliament and budgeted',
      meansOfVerification: 'Official gazette',
    },
    [
      ['2024-01-01', '2024-12-31', null],
      ['2025-01-01', '2025-12-31', null],
    ],
  );
  const op11i1 = indicator(
    'OP1.1-I1',
    {
      outputId: 'row-OP1.1',
      title: 'Number of prosecutors trained in financial investigation',
      unit: 'prosecutors',
      endTargetValue: '120',
      requiredDisaggregations: ['sex', 'age'],
      meansOfVerification: 'Training attendance lists',
    },
    [
      ['2024-01-01', '2024-06-30', '40'],
      ['2024-07-01', '2024-12-31', '40'],
      ['2025-01-01', '2025-06-30', '40'],
    ],
  );
  const op12i1 = indicator(
    'OP1.2-I1',
    {
      outputId: 'row-OP1.2',
      title: 'Number of case management guidelines adopted',
      unit: 'guidelines',
      endTargetValue: '3',
    },
    [
      ['2024-01-01', '2024-12-31', '1'],
      ['2025-01-01', '2025-12-31', '2'],
    ],
  );
  const op12i2 = indicator(
    'OP1.2-I2',
    {
      outputId: 'row-OP1.2',
      title: 'Quality of case management systems',
      measure: 'ordinal',
      unit: 'score (1–5)',
      aggregation: 'latest',
      ordinalScale: { min: '1', max: '5' },
      baselineValue: '1',
      endTargetValue: '4',
    },
    [
      ['2024-01-01', '2024-12-31', '2'],
      ['2025-01-01', '2025-12-31', '4'],
    ],
  );
  const outcome: OutcomeNode = {
    outcome: {
      id: 'row-OC1',
      stableId: 'id-OC1',
      revisionId: 'rev-1',
      code: 'OC1',
      statement: 'Trafficking cases are prosecuted effectively',
      position: 0,
    } as unknown as OutcomeEntity,
    indicators: [oc1i1, oc1i2],
    outputs: [output('OP1.1', 'row-OC1', [op11i1]), output('OP1.2', 'row-OC1', [op12i1, op12i2])],
    sdgLinks: [link('16.4', 'primary', { outcomeId: 'row-OC1' })],
    assumptions: [],
  };
  return {
    project: {
      id: 'project-1',
      code: 'GLOT59',
      title: 'Countering trafficking in persons',
      startDate: '2024-01-01',
      endDate: '2025-12-31',
      theoryOfChange:
        'If prosecutors are trained and cases are managed well, more traffickers are convicted, which deters trafficking.',
    } as unknown as ProjectEntity,
    revision: { id: 'rev-1', projectId: 'project-1', number: 1, status: 'draft' } as unknown as LogframeRevisionEntity,
    outcomes: [outcome],
    unlinkedOutputs: [],
    impactIndicators: [im1],
    projectSdgLinks: [link('16.4', 'primary'), link('5.2')],
    projectAssumptions: [assumption('The government keeps anti-trafficking a priority')],
  };
}

const lax = { blockingChecks: [] as string[] };
const oc1 = (t: LogframeTree) => t.outcomes[0];
const op = (t: LogframeTree, n: 0 | 1) => t.outcomes[0].outputs[n];
const im1 = (t: LogframeTree) => t.impactIndicators[0];
const oc1i1 = (t: LogframeTree) => t.outcomes[0].indicators[0];
const oc1i2 = (t: LogframeTree) => t.outcomes[0].indicators[1];
const op11i1 = (t: LogframeTree) => t.outcomes[0].outputs[0].indicators[0];
const op12i1 = (t: LogframeTree) => t.outcomes[0].outputs[1].indicators[0];
const op12i2 = (t: LogframeTree) => t.outcomes[0].outputs[1].indicators[1];
const setTargets = (node: IndicatorNode, values: (string | null)[]) =>
  node.periodTargets.forEach((t, k) => {
    t.value = values[k];
  });

const item = (
  rule: ChecklistItem['rule'],
  severity: ChecklistItem['severity'],
  elementType: ChecklistItem['elementType'],
  elementCode: string,
  message: string,
): ChecklistItem => ({
  rule,
  severity,
  elementType,
  elementId: elementType === 'project' ? null : `id-${elementCode}`,
  elementCode,
  message,
});

/** Asserts that the result holds exactly this one item (blocking or warning) and nothing else. */
function expectOnly(result: ChecklistResult, expected: ChecklistItem): void {
  if (expected.severity === 'blocking') expect(result).toEqual({ passed: false, blocking: [expected], warnings: [] });
  else expect(result).toEqual({ passed: true, blocking: [], warnings: [expected] });
}

describe('runChecklist', () => {
  it('passes a complete logframe with no blocking item and no warning', () => {
    expect(runChecklist(completeTree(), lax)).toEqual({ passed: true, blocking: [], warnings: [] });
    expect(runChecklist(completeTree(), { blockingChecks: ['sex_disaggregation'] })).toEqual({
      passed: true,
      blocking: [],
      warnings: [],
    });
  });

  it('documents one rule per code, each with a severity and a text', () => {
    const codes = CHECKLIST_RULES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toHaveLength(27);
    for (const rule of CHECKLIST_RULES) expect(rule.text.length).toBeGreaterThan(10);
    expect(CHECKLIST_RULES.filter((r) => r.severity === 'configurable').map((r) => r.code)).toEqual([
      'sex_disaggregation',
    ]);
    expect(CHECKLIST_RULES.filter((r) => r.severity === 'warning').map((r) => r.code)).toEqual([
      'indicator_period_targets',
      'sdg_indicator_target_linked',
      'too_many_sdg_targets',
    ]);
  });

  describe('blocking rules: the results chain', () => {
    it('at_least_one_outcome', () => {
      const t = completeTree();
      t.outcomes = [];
      expectOnly(
        runChecklist(t, lax),
        item(
          'at_least_one_outcome',
          'blocking',
          'project',
          'GLOT59',
          'Project GLOT59 has no outcome: add at least one outcome, with its indicators and outputs.',
        ),
      );
    });

    it('outcome_has_indicator', () => {
      const t = completeTree();
      oc1(t).indicators = [];
      expectOnly(
        runChecklist(t, lax),
        item(
          'outcome_has_indicator',
          'blocking',
          'outcome',
          'OC1',
          'Outcome OC1 has no indicator: add at least one indicator that measures this outcome.',
        ),
      );
    });

    it('outcome_has_output', () => {
      const t = completeTree();
      oc1(t).outputs = [];
      expectOnly(
        runChecklist(t, lax),
        item(
          'outcome_has_output',
          'blocking',
          'outcome',
          'OC1',
          'Outcome OC1 has no output: add at least one output that contributes to it, or link an existing output to it.',
        ),
      );
    });

    it('output_linked_to_outcome: an unlinked output fails', () => {
      const t = completeTree();
      const [unlinked] = oc1(t).outputs.splice(1, 1);
      unlinked.output.outcomeId = null;
      t.unlinkedOutputs = [unlinked];
      expectOnly(
        runChecklist(t, lax),
        item(
          'output_linked_to_outcome',
          'blocking',
          'output',
          'OP1.2',
          'Output OP1.2 is not linked to an outcome: move it under the outcome it contributes to.',
        ),
      );
    });

    it('output_has_indicator', () => {
      const t = completeTree();
      op(t, 0).indicators = [];
      expectOnly(
        runChecklist(t, lax),
        item(
          'output_has_indicator',
          'blocking',
          'output',
          'OP1.1',
          'Output OP1.1 has no indicator: add at least one indicator that measures this output.',
        ),
      );
    });
  });

  describe('blocking rules: indicators', () => {
    it('indicator_measure', () => {
      const t = completeTree();
      op11i1(t).indicator.measure = null as unknown as IndicatorEntity['measure'];
      expectOnly(
        runChecklist(t, lax),
        item(
          'indicator_measure',
          'blocking',
          'indicator',
          'OP1.1-I1',
          'Indicator OP1.1-I1 has no measure: choose number, percentage, ordinal or qualitative.',
        ),
      );
    });

    it('indicator_unit (quantitative indicators; a blank unit is no unit)', () => {
      const t = completeTree();
      oc1i1(t).indicator.unit = '  ';
      expectOnly(
        runChecklist(t, lax),
        item(
          'indicator_unit',
          'blocking',
          'indicator',
          'OC1-I1',
          'Indicator OC1-I1 (percentage) has no unit: state the unit of measurement (e.g. "officials trained", "% of cases", "score on the 1–5 scale").',
        ),
      );
    });

    it('indicator_unit is not asked of a qualitative indicator', () => {
      const t = completeTree();
      expect(oc1i2(t).indicator.unit).toBeNull();
      expect(runChecklist(t, lax).passed).toBe(true);
    });

    it('indicator_direction', () => {
      const t = completeTree();
      op12i1(t).indicator.direction = null as unknown as IndicatorEntity['direction'];
      expectOnly(
        runChecklist(t, lax),
        item(
          'indicator_direction',
          'blocking',
          'indicator',
          'OP1.2-I1',
          'Indicator OP1.2-I1 has no direction: say whether its value should increase or decrease.',
        ),
      );
    });

    it('indicator_aggregation', () => {
      const t = completeTree();
      op12i1(t).indicator.aggregation = undefined as unknown as IndicatorEntity['aggregation'];
      expectOnly(
        runChecklist(t, lax),
        item(
          'indicator_aggregation',
          'blocking',
          'indicator',
          'OP1.2-I1',
          'Indicator OP1.2-I1 has no aggregation: choose "sum" (each period reports new results) or "latest" (each period reports a level or running total).',
        ),
      );
    });

    it('indicator_means_of_verification', () => {
      const t = completeTree();
      im1(t).indicator.meansOfVerification = '';
      expectOnly(
        runChecklist(t, lax),
        item(
          'indicator_means_of_verification',
          'blocking',
          'indicator',
          'IM1',
          'Indicator IM1 has no means of verification: say where the evidence for its values will come from (document, database, survey).',
        ),
      );
    });

    it('indicator_baseline: no value and no justified absence', () => {
      const t = completeTree();
      op11i1(t).indicator.baselineValue = null;
      expectOnly(
        runChecklist(t, lax),
        item(
          'indicator_baseline',
          'blocking',
          'indicator',
          'OP1.1-I1',
          'Indicator OP1.1-I1 has no baseline: enter the baseline value, or mark it not available with the reason and the date by which it will be set.',
        ),
      );
    });

    it('indicator_baseline: "not available" needs both a reason and a due date', () => {
      const t = completeTree();
      Object.assign(op11i1(t).indicator, {
        baselineValue: null,
        baselineNotAvailableReason: 'Survey planned for Q2 2024',
        baselineDueDate: '2024-06-30',
      });
      expect(runChecklist(t, lax)).toEqual({ passed: true, blocking: [], warnings: [] });
      op11i1(t).indicator.baselineDueDate = null;
      expectOnly(
        runChecklist(t, lax),
        item(
          'indicator_baseline',
          'blocking',
          'indicator',
          'OP1.1-I1',
          "Indicator OP1.1-I1's baseline is marked not available without a due date: enter the date by which the baseline will be set.",
        ),
      );
      Object.assign(op11i1(t).indicator, { baselineNotAvailableReason: ' ', baselineDueDate: '2024-06-30' });
      expectOnly(
        runChecklist(t, lax),
        item(
          'indicator_baseline',
          'blocking',
          'indicator',
          'OP1.1-I1',
          "Indicator OP1.1-I1's baseline is marked not available without a reason: explain why the baseline is not available yet.",
        ),
      );
    });

    it('indicator_baseline: a qualitative indicator describes its starting situation', () => {
      const t = completeTree();
      oc1i2(t).indicator.baselineComment = null;
      expectOnly(
        runChecklist(t, lax),
        item(
          'indicator_baseline',
          'blocking',
          'indicator',
          'OC1-I2',
          'Indicator OC1-I2 has no baseline: describe the starting situation, or mark it not available with the reason and the date by which it will be set.',
        ),
      );
    });

    it('indicator_end_target: a quantitative indicator needs a value', () => {
      const t = completeTree();
      op12i2(t).indicator.endTargetValue = null;
      expectOnly(
        runChecklist(t, lax),
        item(
          'indicator_end_target',
          'blocking',
          'indicator',
          'OP1.2-I2',
          'Indicator OP1.2-I2 has no end target: enter the value it should reach by the end of the project.',
        ),
      );
    });

    it('indicator_end_target: a qualitative indicator needs a described end state', () => {
      const t = completeTree();
      oc1i2(t).indicator.endTargetDescription = '';
      expectOnly(
        runChecklist(t, lax),
        item(
          'indicator_end_target',
          'blocking',
          'indicator',
          'OC1-I2',
          'Indicator OC1-I2 has no end target: describe the end state it should reach by the end of the project.',
        ),
      );
    });

    it('indicator_latest_aggregation: a decrease indicator on "sum"', () => {
      const t = completeTree();
      im1(t).indicator.aggregation = 'sum';
      setTargets(im1(t), ['100', '80']); // add up to the end target 180, each below the baseline 300
      expectOnly(
        runChecklist(t, lax),
        item(
          'indicator_latest_aggregation',
          'blocking',
          'indicator',
          'IM1',
          'Indicator IM1 is a decreasing indicator but uses "sum": set its aggregation to "latest", as its values are levels that cannot be added up over periods.',
        ),
      );
    });

    it('indicator_latest_aggregation: ordinal indicators on "sum"; a percentage may use "sum" (pooled flow)', () => {
      const t = completeTree();
      Object.assign(oc1i1(t).indicator, { aggregation: 'sum', endTargetValue: '50' });
      setTargets(oc1i1(t), ['25', '50']); // a sum percentage's period targets are levels: the last equals the end target
      Object.assign(op12i2(t).indicator, { aggregation: 'sum' });
      setTargets(op12i2(t), ['2', '2']);
      expect(runChecklist(t, lax)).toEqual({
        passed: false,
        warnings: [],
        blocking: [
          item(
            'indicator_latest_aggregation',
            'blocking',
            'indicator',
            'OP1.2-I2',
            'Indicator OP1.2-I2 is an ordinal indicator but uses "sum": set its aggregation to "latest", as its values are levels that cannot be added up over periods.',
          ),
        ],
      });
    });

    it('sum_period_targets_match_end_target', () => {
      const t = completeTree();
      setTargets(op11i1(t), ['40', '40', '30']);
      expectOnly(
        runChecklist(t, lax),
        item(
          'sum_period_targets_match_end_target',
          'blocking',
          'indicator',
          'OP1.1-I1',
          'Indicator OP1.1-I1 adds up its period targets ("sum"), but they total 110 while the end target is 120: adjust the period targets or the end target so that they match.',
        ),
      );
    });

    it('sum_period_targets_match_end_target: a period target without a value', () => {
      const t = completeTree();
      setTargets(op11i1(t), ['40', null, '80']);
      expectOnly(
        runChecklist(t, lax),
        item(
          'sum_period_targets_match_end_target',
          'blocking',
          'indicator',
          'OP1.1-I1',
          'Indicator OP1.1-I1 adds up its period targets ("sum"), but the period target for 2024-07-01 to 2024-12-31 has no value: enter it so that the period targets add up to the end target (120).',
        ),
      );
    });

    it('sum_period_targets_match_end_target: exact decimal sum (0.1 + 0.2 = 0.3, which binary floats get wrong)', () => {
      expect(0.1 + 0.2).not.toBe(0.3);
      const t = completeTree();
      op12i1(t).indicator.endTargetValue = '0.3';
      setTargets(op12i1(t), ['0.1', '0.2']);
      expect(runChecklist(t, lax)).toEqual({ passed: true, blocking: [], warnings: [] });
      op12i1(t).indicator.endTargetValue = '0.30000000000000004';
      expectOnly(
        runChecklist(t, lax),
        item(
          'sum_period_targets_match_end_target',
          'blocking',
          'indicator',
          'OP1.2-I1',
          'Indicator OP1.2-I1 adds up its period targets ("sum"), but they total 0.3 while the end target is 0.30000000000000004: adjust the period targets or the end target so that they match.',
        ),
      );
    });

    it('sum and latest checks are skipped without period targets (only the warning remains)', () => {
      const t = completeTree();
      op12i1(t).periodTargets = [];
      expectOnly(
        runChecklist(t, lax),
        item(
          'indicator_period_targets',
          'warning',
          'indicator',
          'OP1.2-I1',
          'Indicator OP1.2-I1 has no period targets: add milestones (period targets) so that progress can be judged during the project.',
        ),
      );
    });

    it('latest_period_target_matches_end_target', () => {
      const t = completeTree();
      setTargets(oc1i1(t), ['25', '30']);
      expectOnly(
        runChecklist(t, lax),
        item(
          'latest_period_target_matches_end_target',
          'blocking',
          'indicator',
          'OC1-I1',
          'Indicator OC1-I1 takes its latest value ("latest"), but its last period target (2025-01-01 to 2025-12-31) is 30 while the end target is 35: make the last period target equal to the end target.',
        ),
      );
    });

    it('latest_period_target_matches_end_target: the last target is the one ending last, whatever the list order', () => {
      const t = completeTree();
      oc1i1(t).periodTargets.reverse();
      expect(runChecklist(t, lax).passed).toBe(true);
      oc1i1(t).periodTargets[1].value = '35'; // now 2024 = 35, 2025 = 35
      oc1i1(t).periodTargets[0].value = '34'; // 2025 = 34
      expectOnly(
        runChecklist(t, lax),
        item(
          'latest_period_target_matches_end_target',
          'blocking',
          'indicator',
          'OC1-I1',
          'Indicator OC1-I1 takes its latest value ("latest"), but its last period target (2025-01-01 to 2025-12-31) is 34 while the end target is 35: make the last period target equal to the end target.',
        ),
      );
    });

    it("end_target_beyond_baseline: strictly beyond in the indicator's direction", () => {
      const t = completeTree();
      im1(t).indicator.endTargetValue = '300';
      setTargets(im1(t), ['250', '300']); // the last equals the end target; both on the right side of or equal to the baseline
      expectOnly(
        runChecklist(t, lax),
        item(
          'end_target_beyond_baseline',
          'blocking',
          'indicator',
          'IM1',
          'Indicator IM1 should decrease, but its end target (300) is not below the baseline (300): set an end target below the baseline, or correct the direction.',
        ),
      );
    });

    it('period_targets_beyond_baseline', () => {
      const t = completeTree();
      setTargets(oc1i1(t), ['15', '35']);
      expectOnly(
        runChecklist(t, lax),
        item(
          'period_targets_beyond_baseline',
          'blocking',
          'indicator',
          'OC1-I1',
          'Indicator OC1-I1 should increase, but its period target for 2024-01-01 to 2024-12-31 (15) is below the baseline (20): set every period target above or equal to the baseline.',
        ),
      );
      setTargets(oc1i1(t), ['20', '35']); // equal to the baseline is allowed
      expect(runChecklist(t, lax).passed).toBe(true);
    });

    it('period_targets_within_project_dates', () => {
      const t = completeTree();
      op11i1(t).periodTargets[0].periodStart = '2023-10-01';
      op11i1(t).periodTargets[2].periodEnd = '2026-01-31';
      expectOnly(
        runChecklist(t, lax),
        item(
          'period_targets_within_project_dates',
          'blocking',
          'indicator',
          'OP1.1-I1',
          "Indicator OP1.1-I1 has period targets outside the project's dates (2024-01-01 to 2025-12-31): 2023-10-01 to 2024-06-30 and 2025-01-01 to 2026-01-31. " +
            "Move them within the project's dates, or correct the project's dates.",
        ),
      );
    });

    it('period_targets_within_project_dates: only the dates that are set bound the targets', () => {
      const t = completeTree();
      t.project.startDate = null;
      op11i1(t).periodTargets[0].periodStart = '2023-10-01';
      expect(runChecklist(t, lax).passed).toBe(true);
      op11i1(t).periodTargets[2].periodEnd = '2026-01-31';
      expect(runChecklist(t, lax).blocking.map((i) => i.message)).toEqual([
        "Indicator OP1.1-I1 has a period target outside the project's dates (until 2025-12-31): 2025-01-01 to 2026-01-31. Move it within the project's dates, or correct the project's dates.",
      ]);
    });
  });

  describe('blocking rules: SDG links, theory of change, assumptions', () => {
    it('project_sdg_link', () => {
      const t = completeTree();
      t.projectSdgLinks = [];
      expectOnly(
        runChecklist(t, lax),
        item(
          'project_sdg_link',
          'blocking',
          'project',
          'GLOT59',
          'Project GLOT59 is not linked to any SDG target: link it to at least one SDG target it contributes to, and mark the main one primary.',
        ),
      );
    });

    it('project_primary_sdg_link', () => {
      const t = completeTree();
      t.projectSdgLinks = [link('16.4'), link('5.2')];
      expectOnly(
        runChecklist(t, lax),
        item(
          'project_primary_sdg_link',
          'blocking',
          'project',
          'GLOT59',
          "None of project GLOT59's SDG targets (16.4, 5.2) is marked primary: mark the target the project contributes to most as primary.",
        ),
      );
    });

    it('outcome_sdg_link', () => {
      const t = completeTree();
      oc1(t).sdgLinks = [];
      expectOnly(
        runChecklist(t, lax),
        item(
          'outcome_sdg_link',
          'blocking',
          'outcome',
          'OC1',
          'Outcome OC1 is not linked to any SDG target: link it to at least one SDG target it contributes to.',
        ),
      );
    });

    it('theory_of_change (blank counts as missing)', () => {
      const t = completeTree();
      t.project.theoryOfChange = ' \n ';
      expectOnly(
        runChecklist(t, lax),
        item(
          'theory_of_change',
          'blocking',
          'project',
          'GLOT59',
          'Project GLOT59 has no theory of change: describe how the outputs lead to the outcomes and the outcomes to the intended change.',
        ),
      );
    });

    it('at_least_one_assumption, anywhere in the logframe', () => {
      const t = completeTree();
      t.projectAssumptions = [];
      expectOnly(
        runChecklist(t, lax),
        item(
          'at_least_one_assumption',
          'blocking',
          'project',
          'GLOT59',
          'The logframe of project GLOT59 has no assumption: add at least one assumption or risk to the project, an outcome or an output.',
        ),
      );
      op(t, 1).assumptions = [assumption('Courts adopt the guidelines', { outputId: 'row-OP1.2' })];
      expect(runChecklist(t, lax).passed).toBe(true);
    });
  });

  describe('configurable rule: sex disaggregation of people-counting indicators', () => {
    const expected = (severity: ChecklistItem['severity']) =>
      item(
        'sex_disaggregation',
        severity,
        'indicator',
        'OP1.1-I1',
        'Indicator OP1.1-I1 counts people but does not require disaggregation by sex: add "sex" to its required disaggregations.',
      );

    it('is a warning by default', () => {
      const t = completeTree();
      op11i1(t).indicator.requiredDisaggregations = ['age'];
      expectOnly(runChecklist(t, lax), expected('warning'));
    });

    it('is blocking when the setting says so', () => {
      const t = completeTree();
      op11i1(t).indicator.requiredDisaggregations = ['age'];
      expectOnly(runChecklist(t, { blockingChecks: ['sex_disaggregation'] }), expected('blocking'));
    });

    it('ignores other entries in blockingChecks (only configurable rules can be made blocking)', () => {
      const t = completeTree();
      op12i1(t).periodTargets = [];
      expect(runChecklist(t, { blockingChecks: ['indicator_period_targets', 'nonsense'] }).passed).toBe(true);
    });

    it('recognises people-counting indicators by their unit or title (heuristic)', () => {
      const people = (title: string, unit: string | null, measure: IndicatorEntity['measure'] = 'number') =>
        isPeopleCounting({ title, unit, measure });
      expect(people('Number of prosecutors trained', null)).toBe(true);
      expect(people('Capacity building', 'participants')).toBe(true);
      expect(people('Number of women and men reached', 'count')).toBe(true);
      expect(people('Number of Victims identified', null)).toBe(true);
      expect(people('Number of beneficiaries of legal aid', null)).toBe(true);
      expect(people('Number of criminal justice officials', null)).toBe(true);
      expect(people('Number of persons trained', null, 'percentage')).toBe(false);
      expect(people('Number of laws adopted', 'laws')).toBe(false);
      expect(people('Number of Member States reporting', 'countries')).toBe(false);
      expect(people('Number of seizures (mentoring programme)', 'seizures')).toBe(false);
    });
  });

  describe('warnings', () => {
    it('indicator_period_targets', () => {
      const t = completeTree();
      oc1i2(t).periodTargets = [];
      expectOnly(
        runChecklist(t, lax),
        item(
          'indicator_period_targets',
          'warning',
          'indicator',
          'OC1-I2',
          'Indicator OC1-I2 has no period targets: add milestones (period targets) so that progress can be judged during the project.',
        ),
      );
    });

    it('sdg_indicator_target_linked: the implied target must be linked somewhere', () => {
      const t = completeTree();
      oc1i1(t).indicator.sdgIndicatorCode = '3.5.1';
      expectOnly(
        runChecklist(t, lax),
        item(
          'sdg_indicator_target_linked',
          'warning',
          'indicator',
          'OC1-I1',
          'Indicator OC1-I1 names SDG indicator 3.5.1, but its target 3.5 is not linked anywhere in the logframe: link SDG target 3.5 to the project, an outcome or an output, or correct the SDG indicator.',
        ),
      );
      op(t, 1).sdgLinks = [link('3.5', 'secondary', { outputId: 'row-OP1.2' })]; // a link on an output counts
      expect(runChecklist(t, lax)).toEqual({ passed: true, blocking: [], warnings: [] });
    });

    it('sdg_indicator_target_linked: codes are compared normalised (16.A.1 ⇒ 16.a)', () => {
      expect(impliedSdgTarget('16.4.1')).toBe('16.4');
      expect(impliedSdgTarget('16.A.1')).toBe('16.a');
      const t = completeTree();
      oc1i1(t).indicator.sdgIndicatorCode = '16.A.1';
      t.projectSdgLinks.push(link('16.a'));
      expect(runChecklist(t, lax)).toEqual({ passed: true, blocking: [], warnings: [] });
    });

    it('too_many_sdg_targets: more than 10 on one element', () => {
      const t = completeTree();
      const codes = ['16.1', '16.2', '16.3', '16.4', '16.5', '16.6', '16.7', '16.8', '16.9', '16.10'];
      oc1(t).sdgLinks = codes.map((c) => link(c, 'secondary', { outcomeId: 'row-OC1' }));
      expect(runChecklist(t, lax)).toEqual({ passed: true, blocking: [], warnings: [] });
      oc1(t).sdgLinks.push(link('5.2', 'secondary', { outcomeId: 'row-OC1' }));
      expectOnly(
        runChecklist(t, lax),
        item(
          'too_many_sdg_targets',
          'warning',
          'outcome',
          'OC1',
          'Outcome OC1 is linked to 11 SDG targets: keep only the targets it contributes to directly (at most 10).',
        ),
      );
    });
  });

  describe('every failing element, in tree order', () => {
    it('lists every failing element, not just the first (three outputs without indicators → three items)', () => {
      const t = completeTree();
      op(t, 0).indicators = [];
      op(t, 1).indicators = [];
      t.unlinkedOutputs = [output('OP9', null, [])];
      const result = runChecklist(t, lax);
      expect(result.warnings).toEqual([]);
      expect(result.blocking.map((i) => [i.rule, i.elementCode])).toEqual([
        ['output_has_indicator', 'OP1.1'],
        ['output_has_indicator', 'OP1.2'],
        ['output_linked_to_outcome', 'OP9'],
        ['output_has_indicator', 'OP9'],
      ]);
      expect(result.blocking.filter((i) => i.rule === 'output_has_indicator')).toHaveLength(3);
    });

    it('orders items by tree order: project, impact indicators, then each outcome with its indicators and outputs, then unlinked outputs', () => {
      const t = completeTree();
      t.project.theoryOfChange = null;
      im1(t).indicator.meansOfVerification = null;
      oc1(t).sdgLinks = [];
      oc1i2(t).periodTargets = [];
      op11i1(t).indicator.requiredDisaggregations = [];
      op12i2(t).indicator.unit = null;
      t.unlinkedOutputs = [
        output('OP9', null, [
          indicator('OP9-I1', { outputId: 'row-OP9', unit: null, endTargetValue: '5' }, [
            ['2024-01-01', '2024-12-31', '5'],
          ]),
        ]),
      ];
      const result = runChecklist(t, lax);
      expect(result.passed).toBe(false);
      expect(result.blocking.map((i) => [i.rule, i.elementType, i.elementId, i.elementCode])).toEqual([
        ['theory_of_change', 'project', null, 'GLOT59'],
        ['indicator_means_of_verification', 'indicator', 'id-IM1', 'IM1'],
        ['outcome_sdg_link', 'outcome', 'id-OC1', 'OC1'],
        ['indicator_unit', 'indicator', 'id-OP1.2-I2', 'OP1.2-I2'],
        ['output_linked_to_outcome', 'output', 'id-OP9', 'OP9'],
        ['indicator_unit', 'indicator', 'id-OP9-I1', 'OP9-I1'],
      ]);
      expect(result.warnings.map((i) => [i.rule, i.elementCode])).toEqual([
        ['indicator_period_targets', 'OC1-I2'],
        ['sex_disaggregation', 'OP1.1-I1'],
      ]);
    });
  });
});
