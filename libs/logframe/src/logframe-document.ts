import type {
  ActivityEntity,
  Aggregation,
  AssumptionEntity,
  AssumptionKind,
  CollectionFrequency,
  Direction,
  IndicatorEntity,
  Likelihood,
  Measure,
  OrdinalScale,
  PeriodTargetEntity,
  SdgContribution,
  SdgLinkEntity,
} from '#libs/database';
import type { IndicatorNode, LogframeTree, OutputNode } from './logframe-tree.js';

/**
 * The logframe as one nested document (`GET`/`PUT /projects/:id/logframe`). Elements carry their
 * stable `id` (omit it for a new element; an element without id is matched by `code`). Measures are
 * decimal strings here (the API converts JSON numbers exactly); percentages on a 0–100 scale; dates
 * are calendar dates `YYYY-MM-DD`.
 */
export interface LogframeDocument {
  /** The working copy's version: a PUT must send the version it read (409 otherwise). */
  version: number;
  sdgLinks: SdgLinkDoc[];
  assumptions: AssumptionDoc[];
  impactIndicators: IndicatorDoc[];
  outcomes: OutcomeDoc[];
  /** Outputs not linked to an outcome yet (a draft may hold them; the QA checklist refuses them). */
  unlinkedOutputs: OutputDoc[];
}

export interface SdgLinkDoc {
  sdgTargetCode: string;
  contribution: SdgContribution;
  rationale?: string | null;
}
export interface AssumptionDoc {
  id?: string;
  kind: AssumptionKind;
  statement: string;
  likelihood?: Likelihood | null;
  impact?: Likelihood | null;
  mitigation?: string | null;
}
export interface ActivityDoc {
  id?: string;
  code: string;
  description: string;
  startDate?: string | null;
  endDate?: string | null;
}
export interface OutputDoc {
  id?: string;
  code: string;
  statement: string;
  sdgLinks: SdgLinkDoc[];
  assumptions: AssumptionDoc[];
  indicators: IndicatorDoc[];
  activities: ActivityDoc[];
}
export interface OutcomeDoc {
  id?: string;
  code: string;
  statement: string;
  sdgLinks: SdgLinkDoc[];
  assumptions: AssumptionDoc[];
  indicators: IndicatorDoc[];
  outputs: OutputDoc[];
}

export interface BaselineDoc {
  value?: string | null;
  numerator?: string | null;
  denominator?: string | null;
  year?: number | null;
  date?: string | null;
  comment?: string | null;
  /** "Not available": why, and the date by which it will be set. */
  notAvailableReason?: string | null;
  dueDate?: string | null;
}
export interface EndTargetDoc {
  value?: string | null;
  numerator?: string | null;
  denominator?: string | null;
  description?: string | null;
}
export interface PeriodTargetDoc {
  periodStart: string;
  periodEnd: string;
  value?: string | null;
  numerator?: string | null;
  denominator?: string | null;
  description?: string | null;
}

export interface IndicatorDoc {
  id?: string;
  code: string;
  title: string;
  definition?: string | null;
  measure: Measure;
  unit?: string | null;
  direction: Direction;
  aggregation: Aggregation;
  ordinalScale?: OrdinalScale | null;
  baseline?: BaselineDoc | null;
  endTarget?: EndTargetDoc | null;
  meansOfVerification?: string | null;
  dataSource?: string | null;
  collectionFrequency?: CollectionFrequency | null;
  requiredDisaggregations?: string[];
  standardIndicatorId?: string | null;
  sdgIndicatorCode?: string | null;
  periodTargets: PeriodTargetDoc[];
}

/** What GET adds to each indicator: read-only facts. */
export interface IndicatorReadExtras {
  /** The SDG target implied by `sdgIndicatorCode` (16.4.1 ⇒ 16.4). */
  impliedSdgTargetCode: string | null;
  /** Number of actuals reported (series fields are locked when > 0). */
  actualCount: number;
  retired: { at: string; reason: string | null } | null;
  flags: { code: string; message: string }[];
}

/** The document as read, with the revision it comes from. */
export interface LogframeReadDocument extends LogframeDocument {
  projectId: string;
  revision: { id: string; number: number; status: string };
}

/** An SDG link as a document node. */
export const sdgLinkDoc = (l: SdgLinkEntity): SdgLinkDoc => ({
  sdgTargetCode: l.sdgTargetCode,
  contribution: l.contribution,
  rationale: l.rationale,
});
/** An assumption or risk as a document node. */
export const assumptionDoc = (a: AssumptionEntity): AssumptionDoc => ({
  id: a.stableId,
  kind: a.kind,
  statement: a.statement,
  likelihood: a.likelihood,
  impact: a.impact,
  mitigation: a.mitigation,
});
const target = (t: PeriodTargetEntity): PeriodTargetDoc => ({
  periodStart: t.periodStart,
  periodEnd: t.periodEnd,
  value: t.value,
  numerator: t.numerator,
  denominator: t.denominator,
  description: t.description,
});
const activity = (a: ActivityEntity): ActivityDoc => ({
  id: a.stableId,
  code: a.code,
  description: a.description,
  startDate: a.startDate,
  endDate: a.endDate,
});

/** The fields of one indicator as a document node (no read-only extras). */
export function indicatorFields(node: IndicatorNode): IndicatorDoc {
  const i = node.indicator;
  return {
    id: i.stableId,
    code: i.code,
    title: i.title,
    definition: i.definition,
    measure: i.measure,
    unit: i.unit,
    direction: i.direction,
    aggregation: i.aggregation,
    ordinalScale: i.ordinalScale,
    baseline: {
      value: i.baselineValue,
      numerator: i.baselineNumerator,
      denominator: i.baselineDenominator,
      year: i.baselineYear,
      date: i.baselineDate,
      comment: i.baselineComment,
      notAvailableReason: i.baselineNotAvailableReason,
      dueDate: i.baselineDueDate,
    },
    endTarget: {
      value: i.endTargetValue,
      numerator: i.endTargetNumerator,
      denominator: i.endTargetDenominator,
      description: i.endTargetDescription,
    },
    meansOfVerification: i.meansOfVerification,
    dataSource: i.dataSource,
    collectionFrequency: i.collectionFrequency,
    requiredDisaggregations: i.requiredDisaggregations,
    standardIndicatorId: i.standardIndicatorId,
    sdgIndicatorCode: i.sdgIndicatorCode,
    periodTargets: node.periodTargets.map(target),
  };
}

/** One indicator as a document node, plus the read-only extras. */
export function indicatorDoc(
  node: IndicatorNode,
  extras: (i: IndicatorEntity) => IndicatorReadExtras,
): IndicatorDoc & IndicatorReadExtras {
  return { ...indicatorFields(node), ...extras(node.indicator) };
}

/**
 * The elements of a tree as nested nodes (pure), each indicator mapped by `indicator`: the one walk
 * that the document (GET) and the canonical snapshot (DESIGN.md §3) share.
 */
export function logframeElements<I>(tree: LogframeTree, indicator: (node: IndicatorNode) => I) {
  const output = (node: OutputNode) => ({
    id: node.output.stableId,
    code: node.output.code,
    statement: node.output.statement,
    sdgLinks: node.sdgLinks.map(sdgLinkDoc),
    assumptions: node.assumptions.map(assumptionDoc),
    indicators: node.indicators.map(indicator),
    activities: node.activities.map(activity),
  });
  return {
    sdgLinks: tree.projectSdgLinks.map(sdgLinkDoc),
    assumptions: tree.projectAssumptions.map(assumptionDoc),
    impactIndicators: tree.impactIndicators.map(indicator),
    outcomes: tree.outcomes.map((o) => ({
      id: o.outcome.stableId,
      code: o.outcome.code,
      statement: o.outcome.statement,
      sdgLinks: o.sdgLinks.map(sdgLinkDoc),
      assumptions: o.assumptions.map(assumptionDoc),
      indicators: o.indicators.map(indicator),
      outputs: o.outputs.map(output),
    })),
    unlinkedOutputs: tree.unlinkedOutputs.map(output),
  };
}

/** The tree of a revision as a document (pure). `extras` gives each indicator's read-only facts. */
export function toLogframeDocument(
  tree: LogframeTree,
  extras: (i: IndicatorEntity) => IndicatorReadExtras,
): LogframeReadDocument {
  return {
    projectId: tree.project.id,
    revision: { id: tree.revision.id, number: tree.revision.number, status: tree.revision.status },
    version: tree.revision.version,
    ...logframeElements(tree, (n) => indicatorDoc(n, extras)),
  };
}
