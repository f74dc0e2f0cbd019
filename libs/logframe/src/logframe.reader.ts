import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import {
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
import type { IndicatorNode, LogframeTree, OutputNode } from './logframe-tree.js';

const byPosition = <T extends { position: number; code: string }>(a: T, b: T) =>
  a.position - b.position || a.code.localeCompare(b.code, 'en', { numeric: true });

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/**
 * Reads a logframe tree with a constant number of set-based queries (one per table: revision,
 * project, outcomes, outputs, activities, indicators, period targets, SDG links, assumptions),
 * whatever the tree's size. Repository layer: the only place that queries these tables for reads.
 */
@Injectable()
export class LogframeReader {
  constructor(private readonly dataSource: DataSource) {}

  /** The latest revision of a project (its working copy), or null if it has none. */
  async latestRevision(
    projectId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframeRevisionEntity | null> {
    return manager.getRepository(LogframeRevisionEntity).findOne({ where: { projectId }, order: { number: 'DESC' } });
  }

  /**
   * The revision in force for actuals and reports (DESIGN.md §3): the latest approved one; until a
   * first approval, the working copy (reports built on it are internal). Null without any revision.
   */
  async revisionInForce(
    projectId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframeRevisionEntity | null> {
    const approved = await manager
      .getRepository(LogframeRevisionEntity)
      .findOne({ where: { projectId, status: 'approved' }, order: { number: 'DESC' } });
    return approved ?? this.latestRevision(projectId, manager);
  }

  /** The tree of one revision. @throws Error if the revision does not exist (callers check first). */
  async loadTree(revisionId: string, manager: EntityManager = this.dataSource.manager): Promise<LogframeTree> {
    const [tree] = await this.loadTrees([revisionId], manager);
    if (!tree) throw new Error(`Logframe revision ${revisionId} not found`);
    return tree;
  }

  /**
   * The trees of several revisions (e.g. every project of a portfolio report) with the same constant
   * number of set-based queries as one tree, in the order of `revisionIds`.
   */
  async loadTrees(revisionIds: string[], manager: EntityManager = this.dataSource.manager): Promise<LogframeTree[]> {
    if (revisionIds.length === 0) return [];
    const revisionId = In(revisionIds);
    // Sequential: the manager may be a transaction's single connection.
    const revisions = await manager.getRepository(LogframeRevisionEntity).findBy({ id: revisionId });
    const projects = await manager.getRepository(ProjectEntity).findBy({ id: In(revisions.map((r) => r.projectId)) });
    const outcomes = await manager.getRepository(OutcomeEntity).findBy({ revisionId });
    const outputs = await manager.getRepository(OutputEntity).findBy({ revisionId });
    const activities = await manager.getRepository(ActivityEntity).findBy({ revisionId });
    const indicators = await manager.getRepository(IndicatorEntity).findBy({ revisionId });
    const sdgLinks = await manager
      .getRepository(SdgLinkEntity)
      .find({ where: { revisionId }, order: { sdgTargetCode: 'ASC' } });
    const assumptions = await manager.getRepository(AssumptionEntity).findBy({ revisionId });
    const periodTargets = indicators.length
      ? await manager.getRepository(PeriodTargetEntity).find({
          where: { indicatorId: In(indicators.map((i) => i.id)) },
          order: { periodEnd: 'ASC', periodStart: 'ASC' },
        })
      : [];
    const indicatorRevision = new Map(indicators.map((i) => [i.id, i.revisionId]));
    return revisionIds.flatMap((id) => {
      const revision = revisions.find((r) => r.id === id);
      const project = revision && projects.find((p) => p.id === revision.projectId);
      if (!revision || !project) return [];
      const of = <T extends { revisionId: string }>(rows: T[]) => rows.filter((r) => r.revisionId === id);
      return [
        assembleTree(project, revision, {
          outcomes: of(outcomes),
          outputs: of(outputs),
          activities: of(activities),
          indicators: of(indicators),
          periodTargets: periodTargets.filter((t) => indicatorRevision.get(t.indicatorId) === id),
          sdgLinks: of(sdgLinks),
          assumptions: of(assumptions),
        }),
      ];
    });
  }
}

/** Builds the nested tree from flat rows of one revision (pure). */
export function assembleTree(
  project: ProjectEntity,
  revision: LogframeRevisionEntity,
  rows: {
    outcomes: OutcomeEntity[];
    outputs: OutputEntity[];
    activities: ActivityEntity[];
    indicators: IndicatorEntity[];
    periodTargets: PeriodTargetEntity[];
    sdgLinks: SdgLinkEntity[];
    assumptions: AssumptionEntity[];
  },
): LogframeTree {
  const targetsByIndicator = groupBy(rows.periodTargets, (t) => t.indicatorId);
  const node = (indicator: IndicatorEntity): IndicatorNode => ({
    indicator,
    periodTargets: targetsByIndicator.get(indicator.id) ?? [],
  });
  const sortedIndicators = [...rows.indicators].sort(byPosition);
  const indicatorsByOutcome = groupBy(
    sortedIndicators.filter((i) => i.level === 'outcome'),
    (i) => i.outcomeId,
  );
  const indicatorsByOutput = groupBy(
    sortedIndicators.filter((i) => i.level === 'output'),
    (i) => i.outputId,
  );
  const activitiesByOutput = groupBy([...rows.activities].sort(byPosition), (a) => a.outputId);
  const linksByOutcome = groupBy(
    rows.sdgLinks.filter((l) => l.outcomeId && !l.outputId),
    (l) => l.outcomeId,
  );
  const linksByOutput = groupBy(
    rows.sdgLinks.filter((l) => l.outputId),
    (l) => l.outputId,
  );
  const assumptionsByOutcome = groupBy(
    rows.assumptions.filter((a) => a.outcomeId && !a.outputId),
    (a) => a.outcomeId,
  );
  const assumptionsByOutput = groupBy(
    rows.assumptions.filter((a) => a.outputId),
    (a) => a.outputId,
  );
  const outputNode = (output: OutputEntity): OutputNode => ({
    output,
    indicators: (indicatorsByOutput.get(output.id) ?? []).map(node),
    activities: activitiesByOutput.get(output.id) ?? [],
    sdgLinks: linksByOutput.get(output.id) ?? [],
    assumptions: assumptionsByOutput.get(output.id) ?? [],
  });
  const sortedOutputs = [...rows.outputs].sort(byPosition);
  const outputsByOutcome = groupBy(
    sortedOutputs.filter((o) => o.outcomeId),
    (o) => o.outcomeId,
  );
  return {
    project,
    revision,
    outcomes: [...rows.outcomes].sort(byPosition).map((outcome) => ({
      outcome,
      indicators: (indicatorsByOutcome.get(outcome.id) ?? []).map(node),
      outputs: (outputsByOutcome.get(outcome.id) ?? []).map(outputNode),
      sdgLinks: linksByOutcome.get(outcome.id) ?? [],
      assumptions: assumptionsByOutcome.get(outcome.id) ?? [],
    })),
    unlinkedOutputs: sortedOutputs.filter((o) => !o.outcomeId).map(outputNode),
    impactIndicators: sortedIndicators.filter((i) => i.level === 'impact').map(node),
    projectSdgLinks: rows.sdgLinks.filter((l) => !l.outcomeId && !l.outputId),
    projectAssumptions: rows.assumptions
      .filter((a) => !a.outcomeId && !a.outputId)
      .sort((a, b) => a.position - b.position),
  };
}
