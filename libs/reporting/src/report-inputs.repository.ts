import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ActualEntity, ProgressReportEntity, RbmSettingsEntity } from '#libs/database';
import { LogframeReader, type LogframeTree } from '#libs/logframe';
import { quarterRange, type Thresholds } from './calculations/index.js';

/** Everything a project report is computed from, read with a constant number of queries. */
export interface ProjectReportSource {
  tree: LogframeTree;
  actualsBySeries: Map<string, ActualEntity[]>;
  settings: RbmSettingsEntity;
  thresholds: Thresholds;
  quarterValidated: boolean;
  approvedByEmail: string | null;
  /** The quarter's workflow state, and whether it was reopened after validation (a restatement). */
  validation: { status: string; restated: boolean; reopenReason: string | null };
  /** The manager's rating per outcome (by stable id) and explanations of variance per indicator (by stable id). */
  outcomeRatings: Map<string, { rating: string; justification: string }>;
  varianceExplanations: Map<string, string>;
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
  async projectSource(revisionId: string, year: number, quarter: number, manager: EntityManager = this.dataSource.manager): Promise<ProjectReportSource> {
    const { end } = quarterRange(year, quarter);
    const tree = await this.logframes.loadTree(revisionId, manager);
    const seriesIds = [
      ...tree.impactIndicators,
      ...tree.outcomes.flatMap((o) => [...o.indicators, ...o.outputs.flatMap((p) => p.indicators)]),
      ...tree.unlinkedOutputs.flatMap((p) => p.indicators),
    ].map((n) => n.indicator.stableId);
    const actuals = seriesIds.length
      ? await manager.getRepository(ActualEntity).createQueryBuilder('a').where('a.indicator_series_id = ANY(:ids)', { ids: seriesIds }).andWhere('a.period_end <= :end', { end }).orderBy('a.period_end').addOrderBy('a.period_start').getMany()
      : [];
    const settings = await this.currentSettings(manager);
    const progress = await manager.getRepository(ProgressReportEntity).findOneBy({ projectId: tree.project.id, year, quarter });
    const ratings: { outcome_stable_id: string; rating: string; justification: string }[] = progress ? await manager.query(`SELECT outcome_stable_id, rating, justification FROM outcome_rating WHERE progress_report_id = $1`, [progress.id]) : [];
    const explanations: { indicator_series_id: string; explanation: string }[] = progress ? await manager.query(`SELECT indicator_series_id, explanation FROM variance_explanation WHERE progress_report_id = $1`, [progress.id]) : [];
    const [approver] = tree.revision.approvedById ? await manager.query(`SELECT email FROM app_user WHERE id = $1`, [tree.revision.approvedById]) : [];
    const actualsBySeries = new Map<string, ActualEntity[]>();
    for (const actual of actuals) {
      const list = actualsBySeries.get(actual.indicatorSeriesId) ?? [];
      list.push(actual);
      actualsBySeries.set(actual.indicatorSeriesId, list);
    }
    return {
      tree,
      actualsBySeries,
      settings,
      thresholds: { version: settings.version, atRiskFrom: settings.atRiskFrom, onTrackFrom: settings.onTrackFrom, exceededAbove: settings.exceededAbove },
      quarterValidated: progress?.status === 'validated',
      approvedByEmail: (approver as { email: string } | undefined)?.email ?? null,
      validation: { status: progress?.status ?? 'draft', restated: progress?.restated ?? false, reopenReason: progress?.reopenReason ?? null },
      outcomeRatings: new Map(ratings.map((r) => [r.outcome_stable_id, { rating: r.rating, justification: r.justification }])),
      varianceExplanations: new Map(explanations.map((e) => [e.indicator_series_id, e.explanation])),
    };
  }
}
