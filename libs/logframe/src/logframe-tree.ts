import type {
  ActivityEntity,
  AssumptionEntity,
  IndicatorEntity,
  LogframeRevisionEntity,
  OutcomeEntity,
  OutputEntity,
  PeriodTargetEntity,
  ProjectEntity,
  SdgLinkEntity,
} from '#libs/database';

/** An indicator of a revision with its period targets (sorted by period end). */
export interface IndicatorNode {
  indicator: IndicatorEntity;
  periodTargets: PeriodTargetEntity[];
}

export interface OutputNode {
  output: OutputEntity;
  indicators: IndicatorNode[];
  activities: ActivityEntity[];
  sdgLinks: SdgLinkEntity[];
  assumptions: AssumptionEntity[];
}

export interface OutcomeNode {
  outcome: OutcomeEntity;
  indicators: IndicatorNode[];
  outputs: OutputNode[];
  sdgLinks: SdgLinkEntity[];
  assumptions: AssumptionEntity[];
}

/**
 * A project's logframe at one revision: outcomes → outputs → activities, indicators with
 * targets, SDG links and assumptions; outputs not yet linked to an outcome (allowed in a draft)
 * and impact indicators (on the project) are kept apart. Elements are in `position`, then code order.
 */
export interface LogframeTree {
  project: ProjectEntity;
  revision: LogframeRevisionEntity;
  outcomes: OutcomeNode[];
  unlinkedOutputs: OutputNode[];
  impactIndicators: IndicatorNode[];
  projectSdgLinks: SdgLinkEntity[];
  projectAssumptions: AssumptionEntity[];
}

/**
 * Every indicator of a logframe tree, in report order: impact indicators, then each outcome's
 * indicators followed by its outputs' indicators, then the indicators of outputs not yet linked
 * to an outcome. The one walk over all indicators of a tree (reports, progress, portfolio roll-ups).
 */
export function indicatorNodes(tree: LogframeTree): IndicatorNode[] {
  return [
    ...tree.impactIndicators,
    ...tree.outcomes.flatMap((o) => [...o.indicators, ...o.outputs.flatMap((p) => p.indicators)]),
    ...tree.unlinkedOutputs.flatMap((p) => p.indicators),
  ];
}
