import { indicatorNodes } from '#libs/logframe';
import { buildProjectReport, type ProjectReportContent, reportRows, toJsonNumber } from './project-report.js';
import type { ProjectReportSource } from './report-inputs.repository.js';
import {
  CALCULATION_VERSION,
  type IndicatorEvaluation,
  type IndicatorStatus,
  INDICATOR_STATUSES,
  quarterLabel,
  quarterRange,
  roundPercent,
  rollUp,
  type Fraction,
  type RollUpInput,
  type RollUpResult,
  type Thresholds,
} from '#libs/calculations';
import type { ReportScope } from '#libs/database';

/**
 * A funding agreement of a project: the donor and, when recorded, the amount (a JSON number in
 * `currency`, ISO 4217) and the agreement's calendar dates `YYYY-MM-DD`.
 */
export interface PortfolioFunding {
  donorId: string;
  name: string;
  amount?: number | null;
  currency?: string | null;
  startDate?: string | null;
  endDate?: string | null;
}

/** A project of a multi-project report: its place in the scope, its funders and, when included, its report. */
export interface PortfolioProject {
  projectId: string;
  code: string;
  title: string;
  orgUnitId: string;
  /** Every donor funding the project (co-funders are disclosed). */
  fundedBy: PortfolioFunding[];
  revision: { number: number; status: string };
  validation: { status: string; restated: boolean; reopenReason: string | null };
  /** False when the project's figures are left out (donor scope: not approved or not validated). */
  included: boolean;
  excludedReason: string | null;
  /** The quarter's narrative, first in the project's section (null when none is saved or the project is left out). */
  narrative: ProjectReportContent['narrative'];
  report: ProjectReportContent | null;
}

/** A numerator/denominator pair as JSON numbers. */
export interface JsonFraction {
  numerator: number;
  denominator: number;
}

/**
 * One roll-up row of a multi-project report: `RollUpResult` (calculations) at the API edge. Every
 * figure is a JSON number; computed percentages (pooled or weighted percentages, achievement) are
 * rounded to 1 dp, sums of entered numbers are exact, pooled pairs exact.
 */
export interface PortfolioRollUp {
  /** The standard indicator combined through; null for an unmapped indicator (never combined). */
  standardIndicator: { id: string; code: string; title: string } | null;
  measure: string;
  unit: string | null;
  projects: {
    projectId: string;
    projectCode: string;
    indicatorId: string;
    actualToDate: number | null;
    targetToDate: number | null;
    baseline: number | null;
    actualToDateFraction: JsonFraction | null;
    targetToDateFraction: JsonFraction | null;
    status: IndicatorStatus | null;
  }[];
  combinedActualToDate: number | null;
  combinedTargetToDate: number | null;
  combinedBaseline: number | null;
  combinedActualToDateFraction: JsonFraction | null;
  combinedTargetToDateFraction: JsonFraction | null;
  combinedAchievementPercent: number | null;
  combinedStatus: IndicatorStatus | null;
  notCombinedCode: string | null;
  notCombinedReason: string | null;
  notes: string[];
  statusCounts: Record<IndicatorStatus, number>;
}

const jsonFraction = (f: Fraction | null): JsonFraction | null =>
  f === null ? null : { numerator: Number(f.numerator), denominator: Number(f.denominator) };

/** `RollUpResult` → `PortfolioRollUp` (JSON numbers; percentages of a percentage measure to 1 dp). */
export function rollUpForJson(
  r: RollUpResult,
  standardIndicators: ReadonlyMap<string, { code: string; title: string }>,
): PortfolioRollUp {
  const percent = r.measure === 'percentage';
  const figure = (v: string | null) => (percent ? toJsonNumber(roundPercent(v)) : toJsonNumber(v));
  const standard = r.standardIndicatorId === null ? undefined : standardIndicators.get(r.standardIndicatorId);
  return {
    standardIndicator:
      r.standardIndicatorId === null
        ? null
        : { id: r.standardIndicatorId, code: standard?.code ?? r.standardIndicatorId, title: standard?.title ?? '' },
    measure: r.measure,
    unit: r.unit,
    projects: r.projects.map((p) => ({
      projectId: p.projectId,
      projectCode: p.projectCode,
      indicatorId: p.indicatorId,
      actualToDate: figure(p.actualToDate),
      targetToDate: figure(p.targetToDate),
      baseline: figure(p.baselineUsed),
      actualToDateFraction: jsonFraction(p.actualToDateFraction),
      targetToDateFraction: jsonFraction(p.targetToDateFraction),
      status: p.status,
    })),
    combinedActualToDate: figure(r.combinedActualToDate),
    combinedTargetToDate: figure(r.combinedTargetToDate),
    combinedBaseline: figure(r.combinedBaseline),
    combinedActualToDateFraction: jsonFraction(r.combinedActualToDateFraction),
    combinedTargetToDateFraction: jsonFraction(r.combinedTargetToDateFraction),
    combinedAchievementPercent: toJsonNumber(roundPercent(r.combinedAchievementPercent)),
    combinedStatus: r.combinedStatus,
    notCombinedCode: r.notCombinedCode,
    notCombinedReason: r.notCombinedReason,
    notes: r.notes,
    statusCounts: r.statusCounts,
  };
}

/** One result contributing to an SDG target (SDG target scope): contributions and statuses, never summed values. */
export interface SdgContribution {
  projectCode: string;
  elementType: 'project' | 'outcome' | 'output' | 'indicator';
  elementCode: string | null;
  statement: string;
  contribution: string | null;
  rationale: string | null;
  indicators: { code: string; title: string; status: IndicatorStatus }[];
}

/**
 * A quarterly report over several projects (DESIGN.md §6): programme, donor, SDG target or org unit
 * scope. Per-project sections; values combined only through standard indicators (roll-ups); data
 * completeness; for an SDG target, the contributing results with their statuses.
 */
export interface PortfolioReportContent {
  kind: 'portfolio-quarterly-report';
  /**
   * `restrictedTo`: null for the whole scope; otherwise the org units the report is restricted to
   * (the requester's reach): only projects of these units and the units below are in it.
   */
  scope: {
    type: Exclude<ReportScope, 'project'>;
    id: string;
    name: string;
    /**
     * The scope's code (file names, report lists): the programme or org unit code, the donor's IATI
     * organisation identifier (or a slug of its name), the SDG target code. Absent in reports built before it.
     */
    code?: string;
    /** The scope's title: programme title, org unit name, donor name, SDG target text. */
    title?: string;
    restrictedTo?: { id: string; code: string; name: string }[] | null;
  };
  quarter: { year: number; quarter: number; label: string; start: string; end: string };
  asOfDate: string;
  thresholds: Thresholds;
  calculationVersion: string;
  internal: boolean;
  internalReasons: string[];
  projects: PortfolioProject[];
  rollUps: PortfolioRollUp[];
  completeness: {
    projects: number;
    included: number;
    validated: string[];
    notValidated: string[];
    notApproved: string[];
    overdueIndicators: number;
    noDataIndicators: number;
  };
  statusCounts: Record<IndicatorStatus, number>;
  sdgContributions?: SdgContribution[];
}

export interface PortfolioInputs {
  scope: PortfolioReportContent['scope'];
  year: number;
  quarter: number;
  sources: ProjectReportSource[];
  fundedBy: Map<string, PortfolioFunding[]>;
  /** Code and title of the standard indicators mapped in the scope, by id. */
  standardIndicators?: ReadonlyMap<string, { code: string; title: string }>;
}

/** Builds a multi-project report from each project's inputs (pure). */
export function buildPortfolioReport(inputs: PortfolioInputs): PortfolioReportContent {
  const { scope, year, quarter } = inputs;
  const range = quarterRange(year, quarter);
  const donorScope = scope.type === 'donor';
  const counts = Object.fromEntries(INDICATOR_STATUSES.map((s) => [s, 0])) as Record<IndicatorStatus, number>;
  const thresholds = inputs.sources[0]?.thresholds ?? {
    version: 1,
    atRiskFrom: '50',
    onTrackFrom: '85',
    exceededAbove: '115',
  };
  const rollUpInputs: RollUpInput[] = [];
  const contributions: SdgContribution[] = [];
  const projects = inputs.sources
    .map((source): PortfolioProject => {
      const evaluations = new Map<string, IndicatorEvaluation>();
      const report = buildProjectReport({
        ...source,
        year,
        quarter,
        graceDays: source.settings.validationCutoffDays,
        evaluations,
      });
      const p = source.tree.project;
      const approved = source.tree.revision.status === 'approved';
      const excludedReason =
        donorScope && report.internal
          ? approved
            ? `${quarterLabel(year, quarter)} not validated by the cut-off`
            : 'No approved logframe yet'
          : null;
      if (!excludedReason) {
        const rows = reportRows(report);
        for (const { row } of rows) counts[row.status] += 1;
        rollUpInputs.push(...projectRollUpInputs(source, rows, evaluations));
        if (scope.type === 'sdg_target') contributions.push(...sdgContributions(scope.id, source, report));
      }
      return {
        projectId: p.id,
        code: p.code,
        title: p.title,
        orgUnitId: p.orgUnitId,
        fundedBy: inputs.fundedBy.get(p.id) ?? [],
        revision: { number: source.tree.revision.number, status: source.tree.revision.status },
        validation: report.validation,
        included: !excludedReason,
        excludedReason,
        narrative: excludedReason ? null : report.narrative,
        report: excludedReason ? null : report,
      };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
  const included = projects.filter((p) => p.included);
  const allRows = included.flatMap((p) => reportRows(p.report!).map((r) => r.row));
  const internalProjects = included.filter((p) => p.report!.internal).map((p) => p.code);
  return {
    kind: 'portfolio-quarterly-report',
    scope,
    quarter: { year, quarter, label: quarterLabel(year, quarter), start: range.start, end: range.end },
    asOfDate: range.end,
    thresholds,
    calculationVersion: CALCULATION_VERSION,
    internal: internalProjects.length > 0,
    internalReasons: internalProjects.length ? [`Not approved or not validated: ${internalProjects.join(', ')}`] : [],
    projects,
    rollUps: rollUp(rollUpInputs, thresholds).map((r) => rollUpForJson(r, inputs.standardIndicators ?? new Map())),
    completeness: {
      projects: projects.length,
      included: included.length,
      validated: projects.filter((p) => p.validation.status === 'validated').map((p) => p.code),
      notValidated: projects.filter((p) => p.validation.status !== 'validated').map((p) => p.code),
      notApproved: projects.filter((p) => p.revision.status !== 'approved').map((p) => p.code),
      overdueIndicators: allRows.filter((r) => r.flags.includes('overdue')).length,
      noDataIndicators: allRows.filter((r) => r.status === 'no_data').length,
    },
    statusCounts: counts,
    ...(scope.type === 'sdg_target'
      ? { sdgContributions: contributions.sort((a, b) => a.projectCode.localeCompare(b.projectCode)) }
      : {}),
  };
}

/**
 * The roll-up inputs of one project's indicators mapped to a standard indicator: the exact evaluation
 * (decimal strings and fractions), never the rounded JSON row.
 */
function projectRollUpInputs(
  source: PortfolioInputs['sources'][number],
  rows: ReturnType<typeof reportRows>,
  evaluations: ReadonlyMap<string, IndicatorEvaluation>,
): RollUpInput[] {
  const p = source.tree.project;
  const byStable = new Map(indicatorNodes(source.tree).map((n) => [n.indicator.stableId, n.indicator]));
  const inputs: RollUpInput[] = [];
  for (const { row } of rows) {
    const indicator = byStable.get(row.id);
    if (!indicator?.standardIndicatorId) continue;
    const evaluation = evaluations.get(row.id);
    const latestLevel = evaluation?.aggregationUsed === 'latest';
    inputs.push({
      projectId: p.id,
      projectCode: p.code,
      indicatorId: row.id,
      standardIndicatorId: indicator.standardIndicatorId,
      measure: indicator.measure,
      actualToDate: evaluation?.actualToDate ?? null,
      actualToDateFraction: evaluation?.actualToDateFraction ?? null,
      targetToDate: evaluation?.targetToDate ?? null,
      targetToDateFraction: evaluation?.targetToDateFraction ?? null,
      baselineUsed: evaluation?.baselineUsed ?? null,
      baselineFraction:
        latestLevel && indicator.baselineNumerator !== null && indicator.baselineDenominator !== null
          ? { numerator: indicator.baselineNumerator, denominator: indicator.baselineDenominator }
          : null,
      unit: indicator.unit,
      status: row.status,
    });
  }
  return inputs;
}

/** The results of one project that serve an SDG target: linked elements and indicators naming one of its SDG indicators. */
function sdgContributions(
  target: string,
  source: ProjectReportSource,
  report: ProjectReportContent,
): SdgContribution[] {
  const tree = source.tree;
  const statusOf = new Map(
    reportRows(report).map(({ row }) => [row.id, { code: row.code, title: row.title, status: row.status }]),
  );
  const ind = (nodes: { indicator: { stableId: string } }[]) =>
    nodes.map((n) => statusOf.get(n.indicator.stableId)!).filter(Boolean);
  const out: SdgContribution[] = [];
  const link = tree.projectSdgLinks.find((l) => l.sdgTargetCode === target);
  if (link)
    out.push({
      projectCode: tree.project.code,
      elementType: 'project',
      elementCode: null,
      statement: tree.project.title,
      contribution: link.contribution,
      rationale: link.rationale,
      indicators: [],
    });
  for (const o of tree.outcomes) {
    const l = o.sdgLinks.find((x) => x.sdgTargetCode === target);
    if (l)
      out.push({
        projectCode: tree.project.code,
        elementType: 'outcome',
        elementCode: o.outcome.code,
        statement: o.outcome.statement,
        contribution: l.contribution,
        rationale: l.rationale,
        indicators: ind(o.indicators),
      });
    for (const p of o.outputs) {
      const pl = p.sdgLinks.find((x) => x.sdgTargetCode === target);
      if (pl)
        out.push({
          projectCode: tree.project.code,
          elementType: 'output',
          elementCode: p.output.code,
          statement: p.output.statement,
          contribution: pl.contribution,
          rationale: pl.rationale,
          indicators: ind(p.indicators),
        });
    }
  }
  const all = indicatorNodes(tree);
  for (const n of all) {
    const code = n.indicator.sdgIndicatorCode;
    if (code && code.split('.').slice(0, 2).join('.') === target) {
      const s = statusOf.get(n.indicator.stableId)!;
      out.push({
        projectCode: tree.project.code,
        elementType: 'indicator',
        elementCode: n.indicator.code,
        statement: `${n.indicator.title} (SDG indicator ${code})`,
        contribution: null,
        rationale: null,
        indicators: [s],
      });
    }
  }
  return out;
}
