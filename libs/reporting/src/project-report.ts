import type { ActualEntity, IndicatorEntity } from '#libs/database';
import type { IndicatorNode, LogframeTree, OutputNode } from '#libs/logframe';
import {
  CalcDecimal,
  CALCULATION_VERSION,
  evaluateIndicator,
  type IndicatorEvaluation,
  type IndicatorSeriesInput,
  type IndicatorStatus,
  INDICATOR_STATUSES,
  isWithinRange,
  NOT_ASSESSABLE_REASON_TEXT,
  quarterLabel,
  quarterRange,
  roundPercent,
  suggestOutcomeStatus,
  type Thresholds,
  toPlainString,
} from '#libs/calculations';

/** A decimal string as a JSON number at the API edge (null stays null). */
export function toJsonNumber(value: string | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** A period a value covers, as calendar dates. */
export interface PeriodDto {
  start: string;
  end: string;
}

/**
 * One indicator's line in a quarterly report (DESIGN.md §6). Values are JSON numbers in the
 * indicator's unit (percentages on a 0–100 scale); `achievementPercent` and `progressPercent`
 * are percents rounded to 1 dp for presentation (computed exactly before rounding).
 */
export interface ReportIndicatorRow {
  id: string;
  code: string;
  title: string;
  level: 'impact' | 'outcome' | 'output';
  measure: string;
  unit: string | null;
  direction: string;
  aggregation: string;
  baseline: number | null;
  baselineYear: number | null;
  endTarget: number | string | null;
  targetToDate: number | string | null;
  targetToDatePeriod: PeriodDto | null;
  /** Sum (sum) or latest value (latest) of the actuals whose period ends in the report's quarter. */
  actualThisQuarter: number | null;
  latestActual: { value: number | string | null; period: PeriodDto } | null;
  actualToDate: number | string | null;
  evaluationPeriod: PeriodDto | null;
  achievementPercent: number | null;
  progressPercent: number | null;
  status: IndicatorStatus;
  statusNote: string | null;
  flags: string[];
  reviewFlags: string[];
  meansOfVerification: string | null;
  /** The manager's explanation of variance for this quarter (at risk / off track). */
  varianceExplanation?: string | null;
}

export interface ReportOutputSection {
  id: string;
  code: string;
  statement: string;
  indicators: ReportIndicatorRow[];
  statusCounts: Record<IndicatorStatus, number>;
}

export interface ReportOutcomeSection {
  id: string;
  code: string;
  statement: string;
  sdgTargets: string[];
  computedStatus: IndicatorStatus;
  /** The manager's validated rating beside the computed suggestion (null until rated). */
  rating: { rating: string; justification: string } | null;
  statusCounts: Record<IndicatorStatus, number>;
  indicators: ReportIndicatorRow[];
  outputs: ReportOutputSection[];
}

/** The JSON content of a project's quarterly outcome-level report. */
export interface ProjectReportContent {
  kind: 'project-quarterly-report';
  scope: { type: 'project'; id: string; code: string; title: string; iatiIdentifier: string | null };
  quarter: { year: number; quarter: number; label: string; start: string; end: string };
  asOfDate: string;
  /** The revision used: the approved one in force (or the working copy before any approval), who approved it and its snapshot hash. */
  revision: {
    id: string;
    number: number;
    status: string;
    approvedBy: string | null;
    /** Display name of the approver (reports print people by name). */
    approvedByName?: string | null;
    approvedAt: string | null;
    snapshotSha256: string | null;
  };
  thresholds: Thresholds;
  calculationVersion: string;
  /** False only when the logframe revision is approved and the quarter validated. */
  internal: boolean;
  internalReasons: string[];
  /** The quarter's validation state; `restated` when it was reopened after validation. */
  validation: { status: string; restated: boolean; reopenReason: string | null };
  sdgTargets: string[];
  outcomes: ReportOutcomeSection[];
  /** Outputs not yet linked to an outcome (e.g. after an IATI import): reported in their own section. */
  unlinkedOutputs: ReportOutputSection[];
  impactIndicators: ReportIndicatorRow[];
  summary: { indicators: number; statusCounts: Record<IndicatorStatus, number> };
  /** Assumptions and risks of the logframe with the manager's update for this quarter (null when none given). */
  assumptions: {
    id: string;
    element: string;
    kind: string;
    statement: string;
    likelihood: string | null;
    impact: string | null;
    mitigation: string | null;
    update: { status: string; note: string | null } | null;
  }[];
}

export interface ProjectReportInputs {
  tree: LogframeTree;
  actualsBySeries: Map<string, ActualEntity[]>;
  thresholds: Thresholds;
  year: number;
  quarter: number;
  quarterValidated: boolean;
  graceDays: number;
  /** Email of the focal point who approved the revision used, if approved. */
  approvedByEmail?: string | null;
  approvedByName?: string | null;
  validation?: { status: string; restated: boolean; reopenReason: string | null };
  outcomeRatings?: Map<string, { rating: string; justification: string }>;
  varianceExplanations?: Map<string, string>;
  assumptionUpdates?: Map<string, { status: string; note: string | null }>;
  /** When given, receives each indicator's exact evaluation by stable id (roll-ups need exact decimals). */
  evaluations?: Map<string, IndicatorEvaluation>;
}

function seriesInput(node: IndicatorNode, actuals: ActualEntity[]): IndicatorSeriesInput {
  const i = node.indicator;
  const qualitative = i.measure === 'qualitative';
  return {
    measure: i.measure,
    direction: i.direction,
    aggregation: i.aggregation,
    baseline: qualitative ? i.baselineComment : i.baselineValue,
    endTarget: qualitative ? i.endTargetDescription : i.endTargetValue,
    periodTargets: node.periodTargets.map((t) => ({
      periodStart: t.periodStart,
      periodEnd: t.periodEnd,
      value: qualitative ? t.description : t.value,
      numerator: t.numerator,
      denominator: t.denominator,
    })),
    actuals: actuals.map((a) => ({
      periodStart: a.periodStart,
      periodEnd: a.periodEnd,
      value: qualitative ? a.text : a.value,
      numerator: a.numerator,
      denominator: a.denominator,
      rating: a.rating,
    })),
    collectionFrequency: i.collectionFrequency,
  };
}

const edge = (indicator: IndicatorEntity, value: string | null): number | string | null =>
  indicator.measure === 'qualitative' ? value : toJsonNumber(value);

/** This quarter's actual: the sum (sum) or the latest (latest) of values whose period ends in the quarter. */
function actualThisQuarter(
  indicator: IndicatorEntity,
  actuals: ActualEntity[],
  range: { start: string; end: string },
): number | null {
  if (indicator.measure === 'qualitative') return null;
  const inQuarter = actuals.filter((a) => isWithinRange(a.periodEnd, range) && a.value !== null);
  if (inQuarter.length === 0) return null;
  if (indicator.aggregation === 'latest' || indicator.measure !== 'number')
    return toJsonNumber(inQuarter[inQuarter.length - 1].value);
  // Exact sum with the calculations' decimal type.
  const total = inQuarter.reduce((sum, a) => sum.plus(a.value as string), new CalcDecimal(0));
  return toJsonNumber(toPlainString(total));
}

/** Evaluates one indicator for the report (pure). A malformed series becomes not_assessable with a note. */
export function indicatorRow(
  node: IndicatorNode,
  actuals: ActualEntity[],
  asOf: string,
  range: { start: string; end: string },
  thresholds: Thresholds,
  graceDays: number,
  evaluations?: Map<string, IndicatorEvaluation>,
): ReportIndicatorRow {
  const i = node.indicator;
  const sorted = [...actuals].sort(
    (a, b) => a.periodEnd.localeCompare(b.periodEnd) || a.periodStart.localeCompare(b.periodStart),
  );
  let evaluation: IndicatorEvaluation | null = null;
  let statusNote: string | null = null;
  try {
    evaluation = evaluateIndicator(seriesInput(node, sorted), asOf, thresholds, { graceDays });
    if (evaluation.notAssessableReason) statusNote = NOT_ASSESSABLE_REASON_TEXT[evaluation.notAssessableReason];
    evaluations?.set(i.stableId, evaluation);
  } catch (error) {
    statusNote = `Cannot be computed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return {
    id: i.stableId,
    code: i.code,
    title: i.title,
    level: i.level,
    measure: i.measure,
    unit: i.unit,
    direction: i.direction,
    aggregation: i.aggregation,
    baseline: toJsonNumber(i.baselineValue),
    baselineYear: i.baselineYear,
    endTarget: edge(i, i.measure === 'qualitative' ? i.endTargetDescription : i.endTargetValue),
    targetToDate: evaluation ? edge(i, evaluation.targetToDate) : null,
    targetToDatePeriod: evaluation?.targetToDatePeriod ?? null,
    actualThisQuarter: actualThisQuarter(
      i,
      sorted.filter((a) => a.periodEnd <= asOf),
      range,
    ),
    latestActual: evaluation?.latestActual
      ? {
          value: edge(i, evaluation.latestActual.value),
          period: { start: evaluation.latestActual.periodStart, end: evaluation.latestActual.periodEnd },
        }
      : null,
    actualToDate: evaluation ? edge(i, evaluation.actualToDate) : null,
    evaluationPeriod: evaluation?.evaluationPeriod ?? null,
    achievementPercent: toJsonNumber(roundPercent(evaluation?.achievementPercent ?? null)),
    progressPercent: toJsonNumber(roundPercent(evaluation?.progressPercent ?? null)),
    status: evaluation?.status ?? 'not_assessable',
    statusNote,
    flags: evaluation ? [...evaluation.flags] : ['calculation_error'],
    reviewFlags: (i.flags ?? []).map((f) => f.code),
    meansOfVerification: i.meansOfVerification,
  };
}

const emptyCounts = (): Record<IndicatorStatus, number> =>
  Object.fromEntries(INDICATOR_STATUSES.map((s) => [s, 0])) as Record<IndicatorStatus, number>;

function countStatuses(rows: ReportIndicatorRow[]): Record<IndicatorStatus, number> {
  const counts = emptyCounts();
  for (const row of rows) counts[row.status] += 1;
  return counts;
}

/**
 * Assembles a project's quarterly outcome-level report (DESIGN.md §5–6) from its logframe tree,
 * its actuals and the thresholds in force. Pure: no database. As-of date = the quarter's last day.
 */
export function buildProjectReport(inputs: ProjectReportInputs): ProjectReportContent {
  const { tree, thresholds, year, quarter } = inputs;
  const range = quarterRange(year, quarter);
  const asOf = range.end;
  const row = (node: IndicatorNode) => ({
    ...indicatorRow(
      node,
      inputs.actualsBySeries.get(node.indicator.stableId) ?? [],
      asOf,
      range,
      thresholds,
      inputs.graceDays,
      inputs.evaluations,
    ),
    varianceExplanation: inputs.varianceExplanations?.get(node.indicator.stableId) ?? null,
  });
  const outputSection = (node: OutputNode): ReportOutputSection => {
    const indicators = node.indicators.map(row);
    return {
      id: node.output.stableId,
      code: node.output.code,
      statement: node.output.statement,
      indicators,
      statusCounts: countStatuses(indicators),
    };
  };
  const outcomes = tree.outcomes.map((node): ReportOutcomeSection => {
    const indicators = node.indicators.map(row);
    const suggestion = suggestOutcomeStatus(indicators.map((r) => r.status));
    return {
      id: node.outcome.stableId,
      code: node.outcome.code,
      statement: node.outcome.statement,
      sdgTargets: node.sdgLinks.map((l) => l.sdgTargetCode),
      computedStatus: suggestion.suggestion,
      rating: inputs.outcomeRatings?.get(node.outcome.stableId) ?? null,
      statusCounts: suggestion.counts,
      indicators,
      outputs: node.outputs.map(outputSection),
    };
  });
  const unlinkedOutputs = tree.unlinkedOutputs.map(outputSection);
  const impactIndicators = tree.impactIndicators.map(row);
  const allRows = [
    ...impactIndicators,
    ...outcomes.flatMap((o) => [...o.indicators, ...o.outputs.flatMap((p) => p.indicators)]),
    ...unlinkedOutputs.flatMap((p) => p.indicators),
  ];
  const internalReasons: string[] = [];
  if (tree.revision.status !== 'approved')
    internalReasons.push(`Logframe revision ${tree.revision.number} is ${tree.revision.status}, not approved`);
  if (!inputs.quarterValidated)
    internalReasons.push(`Progress for ${quarterLabel(year, quarter)} has not been validated by an RBM focal point`);
  const sdgTargets = [
    ...new Set(
      [
        ...tree.projectSdgLinks,
        ...tree.outcomes.flatMap((o) => o.sdgLinks),
        ...tree.outcomes.flatMap((o) => o.outputs.flatMap((p) => p.sdgLinks)),
        ...tree.unlinkedOutputs.flatMap((p) => p.sdgLinks),
      ].map((l) => l.sdgTargetCode),
    ),
  ].sort();
  return {
    kind: 'project-quarterly-report',
    scope: {
      type: 'project',
      id: tree.project.id,
      code: tree.project.code,
      title: tree.project.title,
      iatiIdentifier: tree.project.iatiIdentifier,
    },
    quarter: { year, quarter, label: quarterLabel(year, quarter), start: range.start, end: range.end },
    asOfDate: asOf,
    revision: {
      id: tree.revision.id,
      number: tree.revision.number,
      status: tree.revision.status,
      approvedBy: inputs.approvedByEmail ?? null,
      approvedByName: inputs.approvedByName ?? null,
      approvedAt: tree.revision.approvedAt ? tree.revision.approvedAt.toISOString() : null,
      snapshotSha256: tree.revision.snapshotSha256,
    },
    thresholds,
    calculationVersion: CALCULATION_VERSION,
    internal: internalReasons.length > 0,
    internalReasons,
    validation: inputs.validation ?? {
      status: inputs.quarterValidated ? 'validated' : 'draft',
      restated: false,
      reopenReason: null,
    },
    sdgTargets,
    outcomes,
    unlinkedOutputs,
    impactIndicators,
    summary: { indicators: allRows.length, statusCounts: countStatuses(allRows) },
    assumptions: [
      ...tree.projectAssumptions.map((a) => ({ a, element: 'project' })),
      ...tree.outcomes.flatMap((o) => [
        ...o.assumptions.map((a) => ({ a, element: o.outcome.code })),
        ...o.outputs.flatMap((p) => p.assumptions.map((a) => ({ a, element: p.output.code }))),
      ]),
      ...tree.unlinkedOutputs.flatMap((p) => p.assumptions.map((a) => ({ a, element: p.output.code }))),
    ].map(({ a, element }) => ({
      id: a.stableId,
      element,
      kind: a.kind,
      statement: a.statement,
      likelihood: a.likelihood,
      impact: a.impact,
      mitigation: a.mitigation,
      update: inputs.assumptionUpdates?.get(a.stableId) ?? null,
    })),
  };
}

/** Every indicator row of a report with the section it sits in, in report order. */
export function reportRows(
  content: ProjectReportContent,
): { section: string; outcome: string | null; output: string | null; row: ReportIndicatorRow }[] {
  return [
    ...content.impactIndicators.map((row) => ({ section: 'impact', outcome: null, output: null, row })),
    ...content.outcomes.flatMap((o) => [
      ...o.indicators.map((row) => ({ section: 'outcome', outcome: o.code, output: null, row })),
      ...o.outputs.flatMap((p) =>
        p.indicators.map((row) => ({ section: 'output', outcome: o.code, output: p.code, row })),
      ),
    ]),
    ...content.unlinkedOutputs.flatMap((p) =>
      p.indicators.map((row) => ({ section: 'unlinked output', outcome: null, output: p.code, row })),
    ),
  ];
}
