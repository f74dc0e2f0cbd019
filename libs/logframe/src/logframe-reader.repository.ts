import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type FindOptionsSelect, In } from 'typeorm';
import { groupBy } from '#libs/common';
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
import type { ProjectReach } from '#libs/auth';
import type { IndicatorNode, LogframeTree, OutputNode } from './logframe-tree.js';

/** A revision row as a read needs it (never the snapshot). */
export interface LogframeRevisionHead {
  id: string;
  projectId: string;
  number: number;
  status: LogframeRevisionEntity['status'];
  version: number;
}

/** An indicator series as the logframe read shows it: actuals reported, their latest change, retirement. */
export interface SeriesState {
  seriesId: string;
  actualCount: number;
  /** Latest `created_at`/`updated_at` of the series' actuals; null without actuals. */
  actualsChangedAt: Date | null;
  retiredAt: Date | null;
  retiredReason: string | null;
}

/** The series of a project with their actual counts (LATERAL: one index probe per series). */
export const SERIES_STATES_SQL = `SELECT s.id, a.n, a.changed_at, s.retired_at, s.retired_reason
  FROM indicator_series s
  CROSS JOIN LATERAL (
    SELECT count(*)::int AS n, max(greatest(x.created_at, x.updated_at)) AS changed_at
      FROM actual x WHERE x.indicator_series_id = s.id
  ) a
 WHERE s.project_id = $1`;

/** Series states sorted by series id (in memory: an ORDER BY would walk the series' primary key instead of its project index). */
const bySeriesId = (states: SeriesState[]): SeriesState[] =>
  states.sort((a, b) => (a.seriesId < b.seriesId ? -1 : a.seriesId > b.seriesId ? 1 : 0));

/** What a logframe read needs before its tree (see {@link LogframeReader.readHead}). */
export interface LogframeReadHead {
  /** The project's org unit and funders, for the policy; null when the project does not exist. */
  reach: ProjectReach | null;
  /** The revision the selector names; null when there is none. */
  selected: LogframeRevisionHead | null;
  /** The latest approved revision (the one in force); null before a first approval. */
  approved: LogframeRevisionHead | null;
  /**
   * The project's `actuals` and `project` report input stamps (docs/RULES.md, "Reports": moved at the
   * commit of any change of the project's actuals or of its series' retirement), as
   * `<source>:<period>:<stamp>` joined by `,` in key order; '' when none exists yet. Each stamp, not
   * their maximum: two writers' stamps may commit out of sequence order.
   */
  seriesStamp: string;
}

interface ReadHeadRevision {
  id: string;
  number: number;
  status: LogframeRevisionEntity['status'];
  version: number;
}

interface ReadHeadRow {
  org_unit_id: string;
  donor_ids: string[];
  selected: ReadHeadRevision | null;
  approved: ReadHeadRevision | null;
  series_stamp: string | null;
}

/**
 * The project ($1) with its funders, the revision numbered $2 (null: the latest) and the latest approved
 * revision (json, never the snapshot), and the stamps that move with its series' actuals and retirement
 * (`report_input_stamp`, a primary-key range of about one row per quarter with actuals): no row when
 * the project does not exist. Nothing here reads `actual` or `indicator_series`. A PL/pgSQL function
 * (migration 1766000000000, which holds its body), so each connection plans it once instead of on
 * every read.
 */
export const READ_HEAD_SQL = `SELECT * FROM logframe_read_head($1, $2)`;

/** Every column of a revision row but `snapshot` (the approval's canonical JSON, ~100 KB, unused by reads). */
function revisionColumnsWithoutSnapshot(manager: EntityManager): FindOptionsSelect<LogframeRevisionEntity> {
  return Object.fromEntries(
    manager.connection
      .getMetadata(LogframeRevisionEntity)
      .columns.filter((c) => c.propertyName !== 'snapshot')
      .map((c) => [c.propertyName, true]),
  ) as FindOptionsSelect<LogframeRevisionEntity>;
}

const byPosition = <T extends { position: number; code: string }>(a: T, b: T) =>
  a.position - b.position || a.code.localeCompare(b.code, 'en', { numeric: true });

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

  /**
   * What a logframe read needs before its tree, in one statement ({@link READ_HEAD_SQL}, one round trip):
   * the project's org unit and funders (for the policy), the revision `selector` names and the latest
   * approved one (both without the snapshot), and the report input stamps that move with the project's
   * actuals and series retirement (so a read answered from cache or with 304 reads no actual and does no
   * per-series work; the document's series states come from {@link seriesStates}). A project that does
   * not exist gives `reach` null and no revision.
   * @param selector `latest` (the working copy), `approved` or a revision number
   */
  async readHead(
    projectId: string,
    selector: 'latest' | 'approved' | number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframeReadHead> {
    const rows: ReadHeadRow[] = await manager.query(READ_HEAD_SQL, [
      projectId,
      typeof selector === 'number' ? selector : null,
    ]);
    if (!rows.length) return { reach: null, selected: null, approved: null, seriesStamp: '' };
    const [row] = rows;
    const head = (r: ReadHeadRevision | null): LogframeRevisionHead | null =>
      r ? { id: r.id, projectId, number: r.number, status: r.status, version: r.version } : null;
    return {
      reach: { orgUnitId: row.org_unit_id, donorIds: row.donor_ids },
      selected: head(selector === 'approved' ? row.approved : row.selected),
      approved: head(row.approved),
      seriesStamp: row.series_stamp ?? '',
    };
  }

  /**
   * Every indicator series of a project with its number of actuals, the latest change of its actuals
   * (created or updated) and its retirement, in one statement. The count is a LATERAL aggregate over
   * the `actual (indicator_series_id, period_start, period_end)` index, one probe per series, so no
   * plan scans the whole `actual` table (test/scale-plans.e2e.spec.ts checks the plan). Sorted by
   * series id (in memory: an ORDER BY would walk the series' primary key instead of its project index).
   */
  async seriesStates(projectId: string, manager: EntityManager = this.dataSource.manager): Promise<SeriesState[]> {
    const rows: {
      id: string;
      n: number;
      changed_at: Date | null;
      retired_at: Date | null;
      retired_reason: string | null;
    }[] = await manager.query(SERIES_STATES_SQL, [projectId]);
    return bySeriesId(
      rows.map((r) => ({
        seriesId: r.id,
        actualCount: r.n,
        actualsChangedAt: r.changed_at,
        retiredAt: r.retired_at,
        retiredReason: r.retired_reason,
      })),
    );
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
    const revisions = await manager
      .getRepository(LogframeRevisionEntity)
      .find({ select: revisionColumnsWithoutSnapshot(manager), where: { id: revisionId } });
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
    return assembleTrees(revisionIds, {
      revisions,
      projects,
      outcomes,
      outputs,
      activities,
      indicators,
      periodTargets,
      sdgLinks,
      assumptions,
    });
  }

  /**
   * The trees of several revisions as {@link loadTrees} reads them (same statements, same rows in the
   * same order, same tree), each row a plain object rather than an entity: the columns of each entity
   * selected under their property names (see {@link plainColumns}), so no entity hydration. For reads
   * that never write the rows back (reports); test/logframe-plain-trees.medium.spec.ts checks that the
   * plain rows carry what the entities carry.
   */
  async loadPlainTrees(
    revisionIds: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframeTree[]> {
    if (revisionIds.length === 0) return [];
    const select = <T>(entity: new () => T, where: string, params: unknown[], order = '', omit: string[] = []) => {
      const table = manager.connection.getMetadata(entity).tableName;
      return manager.query(
        `SELECT ${plainColumns(manager, entity, 't', omit)} FROM ${table} t WHERE ${where}${order && ` ORDER BY ${order}`}`,
        params,
      ) as Promise<T[]>;
    };
    const byRevision = 't.revision_id = ANY($1::uuid[])';
    // Sequential: the manager may be a transaction's single connection.
    const revisions = await select(LogframeRevisionEntity, 't.id = ANY($1::uuid[])', [revisionIds], '', ['snapshot']);
    const projects = await select(ProjectEntity, 't.id = ANY($1::uuid[])', [revisions.map((r) => r.projectId)]);
    const outcomes = await select(OutcomeEntity, byRevision, [revisionIds]);
    const outputs = await select(OutputEntity, byRevision, [revisionIds]);
    const activities = await select(ActivityEntity, byRevision, [revisionIds]);
    const indicators = await select(IndicatorEntity, byRevision, [revisionIds]);
    const sdgLinks = await select(SdgLinkEntity, byRevision, [revisionIds], 't.sdg_target_code ASC');
    const assumptions = await select(AssumptionEntity, byRevision, [revisionIds]);
    const periodTargets = indicators.length
      ? await select(
          PeriodTargetEntity,
          't.indicator_id = ANY($1::uuid[])',
          [indicators.map((i) => i.id)],
          't.period_end ASC, t.period_start ASC',
        )
      : [];
    return assembleTrees(revisionIds, {
      revisions,
      projects,
      outcomes,
      outputs,
      activities,
      indicators,
      periodTargets,
      sdgLinks,
      assumptions,
    });
  }
}

/**
 * The SELECT list of an entity's columns (but `omit`) on table alias `alias`, each named by its property
 * name, with the values its entity would hold: `numeric` columns (decimalTransformer) as normalised
 * decimal strings (`trim_scale(…)::text`, never exponent notation, as decimalTransformer gives them),
 * arrays of enums as `text[]`; `date` as `'YYYY-MM-DD'` and `timestamptz` as `Date` by the pg type parsers.
 * @throws Error for a column with another transformer (its plain value would differ from the entity's)
 */
export function plainColumns(
  manager: EntityManager,
  entity: new () => unknown,
  alias: string,
  omit: string[] = [],
): string {
  return manager.connection
    .getMetadata(entity)
    .columns.filter((c) => !omit.includes(c.propertyName))
    .map((c) => {
      const column = `${alias}."${c.databaseName}"`;
      if (c.type === 'numeric') return `trim_scale(${column})::text AS "${c.propertyName}"`;
      if (c.transformer) throw new Error(`${c.entityMetadata.name}.${c.propertyName} has a transformer`);
      if (c.type === 'enum' && c.isArray) return `${column}::text[] AS "${c.propertyName}"`;
      return `${column} AS "${c.propertyName}"`;
    })
    .join(', ');
}

/** The trees of `revisionIds` (in that order) from the rows of every table, revisions without a row skipped. */
function assembleTrees(
  revisionIds: string[],
  rows: {
    revisions: LogframeRevisionEntity[];
    projects: ProjectEntity[];
    outcomes: OutcomeEntity[];
    outputs: OutputEntity[];
    activities: ActivityEntity[];
    indicators: IndicatorEntity[];
    periodTargets: PeriodTargetEntity[];
    sdgLinks: SdgLinkEntity[];
    assumptions: AssumptionEntity[];
  },
): LogframeTree[] {
  // Each table's rows by revision once (groupBy keeps the rows' order), not one scan of every row per revision.
  const revisionOf = (row: { revisionId: string }) => row.revisionId;
  const outcomes = groupBy(rows.outcomes, revisionOf);
  const outputs = groupBy(rows.outputs, revisionOf);
  const activities = groupBy(rows.activities, revisionOf);
  const indicators = groupBy(rows.indicators, revisionOf);
  const sdgLinks = groupBy(rows.sdgLinks, revisionOf);
  const assumptions = groupBy(rows.assumptions, revisionOf);
  const indicatorRevision = new Map(rows.indicators.map((i) => [i.id, i.revisionId]));
  const periodTargets = groupBy(rows.periodTargets, (t) => indicatorRevision.get(t.indicatorId));
  return revisionIds.flatMap((id) => {
    const revision = rows.revisions.find((r) => r.id === id);
    const project = revision && rows.projects.find((p) => p.id === revision.projectId);
    if (!revision || !project) return [];
    return [
      assembleTree(project, revision, {
        outcomes: outcomes.get(id) ?? [],
        outputs: outputs.get(id) ?? [],
        activities: activities.get(id) ?? [],
        indicators: indicators.get(id) ?? [],
        periodTargets: periodTargets.get(id) ?? [],
        sdgLinks: sdgLinks.get(id) ?? [],
        assumptions: assumptions.get(id) ?? [],
      }),
    ];
  });
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
