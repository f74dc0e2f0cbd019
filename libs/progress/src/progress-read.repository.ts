import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ActualDisaggregationEntity,
  ActualEntity,
  ProgressNarrativeEntity,
  ProgressReportEntity,
  type ProgressStatus,
} from '#libs/database';

/** A project's quarter as recorded by the progress workflow (DESIGN.md §4), keyed by stable ids. */
export interface QuarterRecord {
  /** The quarter's progress report row, or null when nothing was entered yet (a draft). */
  progress: ProgressReportEntity | null;
  /** The manager's rating per outcome (by outcome stable id). */
  outcomeRatings: Map<string, { rating: string; justification: string }>;
  /** Explanations of variance per indicator (by indicator series id). */
  varianceExplanations: Map<string, string>;
  /** The quarter's status update of each assumption/risk (by assumption stable id). */
  assumptionUpdates: Map<string, { status: string; note: string | null }>;
  /** The quarter's saved narrative (draft or submitted), or null. */
  narrative: ProgressNarrativeEntity | null;
}

interface OutcomeRatingRow {
  progress_report_id: string;
  outcome_stable_id: string;
  rating: string;
  justification: string;
}
interface VarianceExplanationRow {
  progress_report_id: string;
  indicator_series_id: string;
  explanation: string;
}
interface AssumptionUpdateRow {
  project_id: string;
  assumption_stable_id: string;
  status: string;
  note: string | null;
}

/** Maps the raw rows of one project's quarter onto its `QuarterRecord`. */
function toQuarterRecord(
  progress: ProgressReportEntity | null,
  ratings: OutcomeRatingRow[],
  explanations: VarianceExplanationRow[],
  updates: AssumptionUpdateRow[],
  narratives: ProgressNarrativeEntity[],
): QuarterRecord {
  const mine = <T extends { progress_report_id: string }>(rows: T[]) =>
    rows.filter((r) => r.progress_report_id === progress?.id);
  return {
    progress,
    outcomeRatings: new Map(
      mine(ratings).map((r) => [r.outcome_stable_id, { rating: r.rating, justification: r.justification }]),
    ),
    varianceExplanations: new Map(mine(explanations).map((e) => [e.indicator_series_id, e.explanation])),
    assumptionUpdates: new Map(updates.map((u) => [u.assumption_stable_id, { status: u.status, note: u.note }])),
    narrative: narratives.find((n) => n.progressReportId === progress?.id) ?? null,
  };
}

/**
 * Reads of the progress tables (actuals, progress reports, outcome ratings, variance explanations,
 * assumption updates) for the progress service and for reporting: the one way reporting reads
 * progress data (STYLE.md dependency rule). Set-based: a constant number of queries whatever the
 * number of projects or indicators. Every method takes the caller's EntityManager.
 */
@Injectable()
export class ProgressReadRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Actuals of the given indicator series with a period ending on or before `end` (a calendar date),
   * grouped by series id, each list in period order (end, then start). Series without actuals are absent.
   */
  async actualsToDate(
    seriesIds: string[],
    end: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, ActualEntity[]>> {
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
    const bySeries = new Map<string, ActualEntity[]>();
    for (const actual of actuals) {
      const list = bySeries.get(actual.indicatorSeriesId) ?? [];
      list.push(actual);
      bySeries.set(actual.indicatorSeriesId, list);
    }
    return bySeries;
  }

  /**
   * The quarter's workflow records of each project (keyed by project id; every project given has an
   * entry, with `progress: null` when its quarter was never started).
   */
  async quarterRecords(
    projectIds: string[],
    year: number,
    quarter: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, QuarterRecord>> {
    const progresses = projectIds.length
      ? await manager
          .getRepository(ProgressReportEntity)
          .createQueryBuilder('p')
          .where('p.project_id = ANY(:projectIds)', { projectIds })
          .andWhere('p.year = :year AND p.quarter = :quarter', { year, quarter })
          .getMany()
      : [];
    const progressIds = progresses.map((p) => p.id);
    const ratings: OutcomeRatingRow[] = progressIds.length
      ? await manager.query(
          `SELECT progress_report_id, outcome_stable_id, rating, justification FROM outcome_rating WHERE progress_report_id = ANY($1)`,
          [progressIds],
        )
      : [];
    const explanations: VarianceExplanationRow[] = progressIds.length
      ? await manager.query(
          `SELECT progress_report_id, indicator_series_id, explanation FROM variance_explanation WHERE progress_report_id = ANY($1)`,
          [progressIds],
        )
      : [];
    const updates: AssumptionUpdateRow[] = projectIds.length
      ? await manager.query(
          `SELECT project_id, assumption_stable_id, status, note FROM assumption_update WHERE project_id = ANY($1) AND year = $2 AND quarter = $3`,
          [projectIds, year, quarter],
        )
      : [];
    const narratives = progressIds.length
      ? await manager
          .getRepository(ProgressNarrativeEntity)
          .createQueryBuilder('n')
          .where('n.progress_report_id = ANY(:progressIds)', { progressIds })
          .getMany()
      : [];
    return new Map(
      projectIds.map((projectId) => [
        projectId,
        toQuarterRecord(
          progresses.find((p) => p.projectId === projectId) ?? null,
          ratings,
          explanations,
          updates.filter((u) => u.project_id === projectId),
          narratives,
        ),
      ]),
    );
  }

  /** The disaggregated parts of the given actuals (by actual id; dimension, then category order). */
  async disaggregationsOf(
    actualIds: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, ActualDisaggregationEntity[]>> {
    const parts = actualIds.length
      ? await manager
          .getRepository(ActualDisaggregationEntity)
          .createQueryBuilder('d')
          .where('d.actual_id = ANY(:ids)', { ids: actualIds })
          .orderBy('d.dimension')
          .addOrderBy('d.category')
          .getMany()
      : [];
    const byActual = new Map<string, ActualDisaggregationEntity[]>();
    for (const part of parts) byActual.set(part.actualId, [...(byActual.get(part.actualId) ?? []), part]);
    return byActual;
  }
}

/** The workflow state of a quarter as reports show it: draft when never started. */
export function quarterValidation(record: QuarterRecord | undefined): {
  status: ProgressStatus;
  restated: boolean;
  reopenReason: string | null;
} {
  return {
    status: record?.progress?.status ?? 'draft',
    restated: record?.progress?.restated ?? false,
    reopenReason: record?.progress?.reopenReason ?? null,
  };
}
