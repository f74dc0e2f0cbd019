import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AssumptionEntity, IndicatorEntity, PeriodTargetEntity, SdgLinkEntity } from '#libs/database';
import type { IndicatorNode, LogframeTree, OutputNode } from './logframe-tree.js';

/**
 * The canonical content of a logframe revision (DESIGN.md §3): elements by stable id, exact
 * decimals as strings, no row ids or timestamps, so two identical logframes give the same JSON
 * (RFC 8785 canonical form via `canonicalize`, sorted keys) and the same SHA-256.
 */
export function logframeSnapshot(tree: LogframeTree): Record<string, unknown> {
  const p = tree.project;
  return {
    project: {
      id: p.id,
      code: p.code,
      title: p.title,
      orgUnitId: p.orgUnitId,
      programmeId: p.programmeId,
      countries: p.countries,
      startDate: p.startDate,
      endDate: p.endDate,
      budgetAmount: p.budgetAmount,
      budgetCurrency: p.budgetCurrency,
      theoryOfChange: p.theoryOfChange,
      genderMarker: p.genderMarker,
      humanRightsMarker: p.humanRightsMarker,
      lnobGroups: p.lnobGroups,
      sdgLinks: tree.projectSdgLinks.map(link),
      assumptions: tree.projectAssumptions.map(assumption),
    },
    revision: { number: tree.revision.number },
    outcomes: tree.outcomes.map((o) => ({
      id: o.outcome.stableId,
      code: o.outcome.code,
      statement: o.outcome.statement,
      indicators: o.indicators.map(indicator),
      outputs: o.outputs.map(output),
      sdgLinks: o.sdgLinks.map(link),
      assumptions: o.assumptions.map(assumption),
    })),
    unlinkedOutputs: tree.unlinkedOutputs.map(output),
    impactIndicators: tree.impactIndicators.map(indicator),
  };
}

/** SHA-256 (hex) of the canonical JSON of `value`. */
export function canonicalSha256(value: unknown): string {
  return createHash('sha256')
    .update(canonicalize(value) ?? 'null')
    .digest('hex');
}

function output(node: OutputNode) {
  const o = node.output;
  return {
    id: o.stableId,
    code: o.code,
    statement: o.statement,
    indicators: node.indicators.map(indicator),
    sdgLinks: node.sdgLinks.map(link),
    assumptions: node.assumptions.map(assumption),
    activities: node.activities.map((a) => ({
      id: a.stableId,
      code: a.code,
      description: a.description,
      startDate: a.startDate,
      endDate: a.endDate,
    })),
  };
}

function indicator(node: IndicatorNode) {
  const i: IndicatorEntity = node.indicator;
  return {
    id: i.stableId,
    code: i.code,
    level: i.level,
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
    periodTargets: node.periodTargets.map(periodTarget),
  };
}

function periodTarget(t: PeriodTargetEntity) {
  return {
    periodStart: t.periodStart,
    periodEnd: t.periodEnd,
    value: t.value,
    numerator: t.numerator,
    denominator: t.denominator,
    description: t.description,
  };
}

function link(l: SdgLinkEntity) {
  return { sdgTargetCode: l.sdgTargetCode, contribution: l.contribution, rationale: l.rationale };
}

function assumption(a: AssumptionEntity) {
  return {
    id: a.stableId,
    kind: a.kind,
    statement: a.statement,
    likelihood: a.likelihood,
    impact: a.impact,
    mitigation: a.mitigation,
  };
}
