import type { IndicatorNode, LogframeTree, OutputNode } from '#libs/logframe';
import {
  CALCULATION_VERSION,
  type IndicatorEvaluation,
  type IndicatorStatus,
  INDICATOR_STATUSES,
  quarterLabel,
  quarterRange,
  suggestOutcomeStatus,
  type Thresholds,
} from '#libs/calculations';
import {
  type ActualPartRow,
  type ActualRow,
  indicatorRow,
  type ReportDataCompleteness,
  type ReportIndicatorRow,
  type ReportOutputSummary,
} from '#libs/progress';
import type { PersonActing, ReportNarrative } from './report-inputs.repository.js';

/** The indicator row lives in libs/progress (it reads actuals); re-exported for the renderers and the API. */
export {
  indicatorRow,
  toJsonNumber,
  type PeriodDto,
  type ReportDataCompleteness,
  type ReportDisaggregatedValue,
  type ReportIndicatorRow,
  type ReportOutputSummary,
} from '#libs/progress';

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
    /** Display name of the focal point who approved it. */
    approvedBy: string | null;
    /** The role the approver acted in (`rbm_focal_point`). */
    approvedByRole?: string | null;
    approvedAt: string | null;
    snapshotSha256: string | null;
  };
  thresholds: Thresholds;
  calculationVersion: string;
  /** False only when the logframe revision is approved and the quarter validated. */
  internal: boolean;
  internalReasons: string[];
  /** The quarter's validation state; `restated` when it was reopened after validation. */
  validation: {
    status: string;
    restated: boolean;
    reopenReason: string | null;
    /** Who submitted and who validated the quarter (display name, role acted in). */
    submittedBy?: PersonActing | null;
    validatedBy?: PersonActing | null;
  };
  /** The quarter's narrative, first in the project's section; null when none is saved. */
  narrative?: ReportNarrative | null;
  sdgTargets: string[];
  outcomes: ReportOutcomeSection[];
  /** Outputs not yet linked to an outcome (e.g. after an IATI import): reported in their own section. */
  unlinkedOutputs: ReportOutputSection[];
  impactIndicators: ReportIndicatorRow[];
  summary: { indicators: number; statusCounts: Record<IndicatorStatus, number> };
  /** Indicators per status per output (outputs under their outcome, then unlinked outputs). */
  outputSummary?: ReportOutputSummary[];
  /** Missing, overdue and not validated data. */
  dataCompleteness?: ReportDataCompleteness;
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
  /** Each indicator's actuals to date (by series id), in period order (end, then start). */
  actualsBySeries: Map<string, ActualRow[]>;
  thresholds: Thresholds;
  year: number;
  quarter: number;
  quarterValidated: boolean;
  graceDays: number;
  /** Email of the focal point who approved the revision used, if approved (superseded by `people`). */
  approvedByEmail?: string | null;
  /** Who approved the revision, submitted and validated the quarter (display name, role acted in). */
  people?: { approvedBy: PersonActing | null; submittedBy: PersonActing | null; validatedBy: PersonActing | null };
  narrative?: ReportNarrative | null;
  /** Disaggregated values of each actual (by actual id). */
  disaggregationsByActual?: Map<string, ActualPartRow[]>;
  validation?: { status: string; restated: boolean; reopenReason: string | null };
  outcomeRatings?: Map<string, { rating: string; justification: string }>;
  varianceExplanations?: Map<string, string>;
  assumptionUpdates?: Map<string, { status: string; note: string | null }>;
  /** When given, receives each indicator's exact evaluation by stable id (roll-ups need exact decimals). */
  evaluations?: Map<string, IndicatorEvaluation>;
}

const emptyCounts = (): Record<IndicatorStatus, number> =>
  Object.fromEntries(INDICATOR_STATUSES.map((s) => [s, 0])) as Record<IndicatorStatus, number>;

function countStatuses(rows: ReportIndicatorRow[]): Record<IndicatorStatus, number> {
  const counts = emptyCounts();
  for (const row of rows) counts[row.status] += 1;
  return counts;
}

/** The report's sections: outcomes with their outputs, outputs not linked to an outcome, impact indicators. */
function reportSections(inputs: ProjectReportInputs, range: { start: string; end: string }) {
  const { tree, thresholds } = inputs;
  const asOf = range.end;
  const row = (node: IndicatorNode): ReportIndicatorRow => {
    const line = indicatorRow(
      node,
      inputs.actualsBySeries.get(node.indicator.stableId) ?? [],
      asOf,
      range,
      thresholds,
      inputs.graceDays,
      inputs.evaluations,
      inputs.disaggregationsByActual,
    );
    // Added to the fresh row (last key, as a spread copy would put it), not copied into another object.
    line.varianceExplanation = inputs.varianceExplanations?.get(node.indicator.stableId) ?? null;
    return line;
  };
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
  return {
    outcomes,
    unlinkedOutputs: tree.unlinkedOutputs.map(outputSection),
    impactIndicators: tree.impactIndicators.map(row),
  };
}

/** The SDG targets the project's results are linked to, sorted, each once. */
function treeSdgTargets(tree: ProjectReportInputs['tree']): string[] {
  return [
    ...new Set(
      [
        ...tree.projectSdgLinks,
        ...tree.outcomes.flatMap((o) => o.sdgLinks),
        ...tree.outcomes.flatMap((o) => o.outputs.flatMap((p) => p.sdgLinks)),
        ...tree.unlinkedOutputs.flatMap((p) => p.sdgLinks),
      ].map((l) => l.sdgTargetCode),
    ),
  ].sort();
}

/**
 * Assembles a project's quarterly outcome-level report (DESIGN.md §5–6) from its logframe tree,
 * its actuals and the thresholds in force. Pure: no database. As-of date = the quarter's last day.
 */
export function buildProjectReport(inputs: ProjectReportInputs): ProjectReportContent {
  const { tree, thresholds, year, quarter } = inputs;
  const range = quarterRange(year, quarter);
  const asOf = range.end;
  const { outcomes, unlinkedOutputs, impactIndicators } = reportSections(inputs, range);
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
  const sdgTargets = treeSdgTargets(tree);
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
      approvedBy: inputs.people?.approvedBy?.displayName ?? inputs.approvedByEmail ?? null,
      approvedByRole: tree.revision.approvedById ? 'rbm_focal_point' : null,
      approvedAt: tree.revision.approvedAt ? tree.revision.approvedAt.toISOString() : null,
      snapshotSha256: tree.revision.snapshotSha256,
    },
    thresholds,
    calculationVersion: CALCULATION_VERSION,
    internal: internalReasons.length > 0,
    internalReasons,
    validation: {
      ...(inputs.validation ?? {
        status: inputs.quarterValidated ? 'validated' : 'draft',
        restated: false,
        reopenReason: null,
      }),
      submittedBy: inputs.people?.submittedBy ?? null,
      validatedBy: inputs.people?.validatedBy ?? null,
    },
    narrative: inputs.narrative ?? null,
    sdgTargets,
    outcomes,
    unlinkedOutputs,
    impactIndicators,
    summary: { indicators: allRows.length, statusCounts: countStatuses(allRows) },
    outputSummary: [
      ...outcomes.flatMap((o) => o.outputs.map((p) => ({ outcome: o.code as string | null, p }))),
      ...unlinkedOutputs.map((p) => ({ outcome: null, p })),
    ].map(({ outcome, p }) => ({
      outcome,
      code: p.code,
      statement: p.statement,
      indicators: p.indicators.length,
      statusCounts: p.statusCounts,
    })),
    dataCompleteness: dataCompleteness(allRows, inputs.quarterValidated),
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

/**
 * Data completeness of a report (DESIGN.md §6, issue 12): an indicator with nothing reported up to
 * the as-of date is missing when a period target was due by then, and not due yet otherwise.
 */
export function dataCompleteness(rows: ReportIndicatorRow[], validated: boolean): ReportDataCompleteness {
  const nothing = rows.filter((r) => r.latestActual === null);
  return {
    indicators: rows.length,
    reported: rows.length - nothing.length,
    missing: nothing.filter((r) => (r.targetDue ?? null) !== null).map((r) => r.code),
    overdue: rows.filter((r) => r.flags.includes('overdue')).map((r) => r.code),
    notDueYet: nothing.filter((r) => (r.targetDue ?? null) === null).map((r) => r.code),
    validated,
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
