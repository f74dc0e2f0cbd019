import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ActualEntity, ProgressReportEntity, RbmSettingsEntity, type ReportScope } from '#libs/database';
import { LogframeReader, type LogframeTree } from '#libs/logframe';
import { quarterRange, type Thresholds } from '#libs/calculations';
import type { PortfolioFunding } from './portfolio-report.js';
import { toJsonNumber } from './project-report.js';

/** Everything a project report is computed from, read with a constant number of queries. */
export interface ProjectReportSource {
  tree: LogframeTree;
  actualsBySeries: Map<string, ActualEntity[]>;
  settings: RbmSettingsEntity;
  thresholds: Thresholds;
  quarterValidated: boolean;
  approvedByEmail: string | null;
  approvedByName: string | null;
  /** The quarter's workflow state, and whether it was reopened after validation (a restatement). */
  validation: { status: string; restated: boolean; reopenReason: string | null };
  /** The manager's rating per outcome (by stable id) and explanations of variance per indicator (by stable id). */
  outcomeRatings: Map<string, { rating: string; justification: string }>;
  varianceExplanations: Map<string, string>;
  /** The quarter's status update of each assumption/risk (by stable id). */
  assumptionUpdates: Map<string, { status: string; note: string | null }>;
}

/** Reads report inputs (logframe tree, actuals to date, settings in force, quarter validation). */
@Injectable()
export class ReportInputsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly logframes: LogframeReader,
  ) {}

  /** The organisation settings in force (highest version). */
  async currentSettings(manager: EntityManager = this.dataSource.manager): Promise<RbmSettingsEntity> {
    const [settings] = await manager.getRepository(RbmSettingsEntity).find({ order: { version: 'DESC' }, take: 1 });
    if (!settings) throw new Error('rbm_settings is empty: run the migrations');
    return settings;
  }

  /**
   * Inputs of a project's report for a quarter, from the revision given (the working copy until the
   * approval workflow exists). Actuals are those of the revision's indicators with a period ending on
   * or before the quarter's end.
   */
  async projectSource(
    revisionId: string,
    year: number,
    quarter: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProjectReportSource> {
    const [source] = await this.projectSources([revisionId], year, quarter, manager);
    if (!source) throw new Error(`Logframe revision ${revisionId} not found`);
    return source;
  }

  /**
   * Inputs of several projects' reports (one revision each) with the same constant number of
   * set-based queries as one project, in the order of `revisionIds`.
   */
  async projectSources(
    revisionIds: string[],
    year: number,
    quarter: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProjectReportSource[]> {
    const { end } = quarterRange(year, quarter);
    const trees = await this.logframes.loadTrees(revisionIds, manager);
    const settings = await this.currentSettings(manager);
    if (trees.length === 0) return [];
    const seriesIds = trees
      .flatMap((tree) => [
        ...tree.impactIndicators,
        ...tree.outcomes.flatMap((o) => [...o.indicators, ...o.outputs.flatMap((p) => p.indicators)]),
        ...tree.unlinkedOutputs.flatMap((p) => p.indicators),
      ])
      .map((n) => n.indicator.stableId);
    const projectIds = trees.map((t) => t.project.id);
    const actuals = seriesIds.length
      ? await manager
          .getRepository(ActualEntity)
          .createQueryBuilder('a')
          .where('a.indicator_series_id = ANY(:ids)', { ids: seriesIds })
          .andWhere('a.period_end <= :end', { end })
          .orderBy('a.period_end')
          .addOrderBy('a.period_start')
          .getMany()
      : [];
    const progresses = await manager
      .getRepository(ProgressReportEntity)
      .createQueryBuilder('p')
      .where('p.project_id = ANY(:projectIds)', { projectIds })
      .andWhere('p.year = :year AND p.quarter = :quarter', { year, quarter })
      .getMany();
    const progressIds = progresses.map((p) => p.id);
    const ratings: { progress_report_id: string; outcome_stable_id: string; rating: string; justification: string }[] =
      progressIds.length
        ? await manager.query(
            `SELECT progress_report_id, outcome_stable_id, rating, justification FROM outcome_rating WHERE progress_report_id = ANY($1)`,
            [progressIds],
          )
        : [];
    const explanations: { progress_report_id: string; indicator_series_id: string; explanation: string }[] =
      progressIds.length
        ? await manager.query(
            `SELECT progress_report_id, indicator_series_id, explanation FROM variance_explanation WHERE progress_report_id = ANY($1)`,
            [progressIds],
          )
        : [];
    const updates: { project_id: string; assumption_stable_id: string; status: string; note: string | null }[] =
      await manager.query(
        `SELECT project_id, assumption_stable_id, status, note FROM assumption_update WHERE project_id = ANY($1) AND year = $2 AND quarter = $3`,
        [projectIds, year, quarter],
      );
    const approverIds = trees.map((t) => t.revision.approvedById).filter((id): id is string => !!id);
    const approvers: { id: string; email: string; display_name: string }[] = approverIds.length
      ? await manager.query(`SELECT id, email, display_name FROM app_user WHERE id = ANY($1)`, [approverIds])
      : [];
    const actualsBySeries = new Map<string, ActualEntity[]>();
    for (const actual of actuals) {
      const list = actualsBySeries.get(actual.indicatorSeriesId) ?? [];
      list.push(actual);
      actualsBySeries.set(actual.indicatorSeriesId, list);
    }
    const thresholds = {
      version: settings.version,
      atRiskFrom: settings.atRiskFrom,
      onTrackFrom: settings.onTrackFrom,
      exceededAbove: settings.exceededAbove,
    };
    return trees.map((tree) => {
      const progress = progresses.find((p) => p.projectId === tree.project.id);
      const mine = <T extends { progress_report_id: string }>(rows: T[]) =>
        rows.filter((r) => r.progress_report_id === progress?.id);
      const own = [
        ...tree.impactIndicators,
        ...tree.outcomes.flatMap((o) => [...o.indicators, ...o.outputs.flatMap((p) => p.indicators)]),
        ...tree.unlinkedOutputs.flatMap((p) => p.indicators),
      ];
      return {
        tree,
        actualsBySeries: new Map(
          own
            .map((n) => [n.indicator.stableId, actualsBySeries.get(n.indicator.stableId) ?? []] as const)
            .filter(([, list]) => list.length > 0),
        ),
        settings,
        thresholds,
        quarterValidated: progress?.status === 'validated',
        approvedByEmail: approvers.find((a) => a.id === tree.revision.approvedById)?.email ?? null,
        approvedByName: approvers.find((a) => a.id === tree.revision.approvedById)?.display_name ?? null,
        validation: {
          status: progress?.status ?? 'draft',
          restated: progress?.restated ?? false,
          reopenReason: progress?.reopenReason ?? null,
        },
        outcomeRatings: new Map(
          mine(ratings).map((r) => [r.outcome_stable_id, { rating: r.rating, justification: r.justification }]),
        ),
        varianceExplanations: new Map(mine(explanations).map((e) => [e.indicator_series_id, e.explanation])),
        assumptionUpdates: new Map(
          updates
            .filter((u) => u.project_id === tree.project.id)
            .map((u) => [u.assumption_stable_id, { status: u.status, note: u.note }]),
        ),
      };
    });
  }

  /**
   * The projects of a multi-project scope and their report inputs, set-based (a constant number of
   * queries whatever the number of projects): donor → projects it funds; programme → its projects;
   * org_unit → projects of the unit and the units below it; sdg_target → projects whose revision in
   * force links the target or names one of its SDG indicators. Each project uses its revision in force.
   * @returns null when the scope itself does not exist
   */
  async portfolioSources(
    scopeType: Exclude<ReportScope, 'project'>,
    scopeId: string,
    year: number,
    quarter: number,
    manager: EntityManager = this.dataSource.manager,
    restrictedToUnitIds: string[] = [],
  ): Promise<{
    name: string;
    /** The org units the report is restricted to (empty: the whole scope), for its cover. */
    restrictedTo: { id: string; code: string; name: string }[];
    sources: ProjectReportSource[];
    fundedBy: Map<string, PortfolioFunding[]>;
    standardIndicators: Map<string, { code: string; title: string }>;
  } | null> {
    const names: Record<string, string> = {
      donor: `SELECT name FROM donor WHERE id::text = $1`,
      programme: `SELECT code || ' ' || title AS name FROM programme WHERE id::text = $1`,
      org_unit: `SELECT code || ' ' || name AS name FROM org_unit WHERE id::text = $1`,
      sdg_target: `SELECT 'SDG ' || code || ': ' || title AS name FROM sdg_target WHERE code = $1`,
    };
    const [scope] = await manager.query(names[scopeType], [scopeId]);
    if (!scope) return null;
    const inForce = `(SELECT DISTINCT ON (r.project_id) r.project_id, r.id FROM logframe_revision r ORDER BY r.project_id, (r.status = 'approved') DESC, r.number DESC)`;
    const projectQuery: Record<string, string> = {
      donor: `SELECT f.id AS revision_id FROM ${inForce} f JOIN funding_agreement fa ON fa.project_id = f.project_id WHERE fa.donor_id::text = $1`,
      programme: `SELECT f.id AS revision_id FROM ${inForce} f JOIN project p ON p.id = f.project_id WHERE p.programme_id::text = $1`,
      org_unit: `SELECT f.id AS revision_id FROM ${inForce} f JOIN project p ON p.id = f.project_id
                 WHERE p.org_unit_id IN (WITH RECURSIVE below(id) AS (SELECT id FROM org_unit WHERE id::text = $1 UNION SELECT o.id FROM org_unit o JOIN below b ON o.parent_id = b.id) SELECT id FROM below)`,
      sdg_target: `SELECT f.id AS revision_id FROM ${inForce} f WHERE EXISTS (SELECT 1 FROM sdg_link l WHERE l.revision_id = f.id AND l.sdg_target_code = $1)
                   OR EXISTS (SELECT 1 FROM indicator i JOIN sdg_indicator si ON si.code = i.sdg_indicator_code WHERE i.revision_id = f.id AND si.target_code = $1)`,
    };
    // A restricted report keeps the projects of the given org units and the units below them.
    const revisions: { revision_id: string }[] = await manager.query(
      `SELECT q.revision_id FROM (${projectQuery[scopeType]}) q
         JOIN logframe_revision qr ON qr.id = q.revision_id JOIN project qp ON qp.id = qr.project_id
        WHERE cardinality($2::uuid[]) = 0
           OR qp.org_unit_id IN (WITH RECURSIVE below(id) AS (SELECT id FROM org_unit WHERE id = ANY($2::uuid[])
                                 UNION SELECT o.id FROM org_unit o JOIN below b ON o.parent_id = b.id) SELECT id FROM below)`,
      [scopeId, restrictedToUnitIds],
    );
    const restrictedTo: { id: string; code: string; name: string }[] = restrictedToUnitIds.length
      ? await manager.query(`SELECT id, code, name FROM org_unit WHERE id = ANY($1::uuid[]) ORDER BY code`, [
          restrictedToUnitIds,
        ])
      : [];
    const sources = await this.projectSources(
      revisions.map((r) => r.revision_id),
      year,
      quarter,
      manager,
    );
    const funders: {
      project_id: string;
      donor_id: string;
      name: string;
      amount: string | null;
      currency: string | null;
      start_date: string | null;
      end_date: string | null;
    }[] = sources.length
      ? await manager.query(
          `SELECT fa.project_id, fa.donor_id, d.name, fa.amount::text AS amount, fa.currency,
                  fa.start_date::text AS start_date, fa.end_date::text AS end_date
             FROM funding_agreement fa JOIN donor d ON d.id = fa.donor_id WHERE fa.project_id = ANY($1) ORDER BY d.name`,
          [sources.map((x) => x.tree.project.id)],
        )
      : [];
    const fundedBy = new Map<string, PortfolioFunding[]>();
    for (const f of funders)
      fundedBy.set(f.project_id, [
        ...(fundedBy.get(f.project_id) ?? []),
        {
          donorId: f.donor_id,
          name: f.name,
          amount: toJsonNumber(f.amount),
          currency: f.currency?.trim() ?? null,
          startDate: f.start_date,
          endDate: f.end_date,
        },
      ]);
    const standardIds = [
      ...new Set(
        sources.flatMap((x) =>
          [
            ...x.tree.impactIndicators,
            ...x.tree.outcomes.flatMap((o) => [...o.indicators, ...o.outputs.flatMap((p) => p.indicators)]),
            ...x.tree.unlinkedOutputs.flatMap((p) => p.indicators),
          ]
            .map((n) => n.indicator.standardIndicatorId)
            .filter((id): id is string => !!id),
        ),
      ),
    ];
    const standards: { id: string; code: string; title: string }[] = standardIds.length
      ? await manager.query(`SELECT id, code, title FROM standard_indicator WHERE id = ANY($1)`, [standardIds])
      : [];
    const standardIndicators = new Map(standards.map((x) => [x.id, { code: x.code, title: x.title }]));
    return { name: scope.name, restrictedTo, sources, fundedBy, standardIndicators };
  }
}
