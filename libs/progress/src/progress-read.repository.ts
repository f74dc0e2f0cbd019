import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { groupBy } from '#libs/common';
import {
  type MilestoneRating,
  ProgressNarrativeEntity,
  ProgressReportEntity,
  type ProgressStatus,
} from '#libs/database';

/**
 * An actual as reports and the quarter's progress read it (a plain row, not an entity): calendar dates
 * `'YYYY-MM-DD'`; `value` (number, ordinal, percentage on a 0–100 scale), `numerator` and `denominator`
 * as normalised decimal strings (`'12.5'`, never exponent notation, exactly as `decimalTransformer`
 * gives them), null when absent; `text` and `rating` for qualitative indicators.
 */
export interface ActualRow {
  id: string;
  indicatorSeriesId: string;
  periodStart: string;
  periodEnd: string;
  value: string | null;
  numerator: string | null;
  denominator: string | null;
  text: string | null;
  rating: MilestoneRating | null;
}

/** A disaggregated part of an actual (plain row): decimals as normalised decimal strings, null when absent. */
export interface ActualPartRow {
  actualId: string;
  dimension: string;
  category: string;
  value: string | null;
  numerator: string | null;
  denominator: string | null;
}

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

/** Maps the raw rows of one project's quarter (already its own rows) onto its `QuarterRecord`. */
function toQuarterRecord(
  progress: ProgressReportEntity | null,
  ratings: OutcomeRatingRow[],
  explanations: VarianceExplanationRow[],
  updates: AssumptionUpdateRow[],
  narrative: ProgressNarrativeEntity | null,
): QuarterRecord {
  return {
    progress,
    outcomeRatings: new Map(
      ratings.map((r) => [r.outcome_stable_id, { rating: r.rating, justification: r.justification }]),
    ),
    varianceExplanations: new Map(explanations.map((e) => [e.indicator_series_id, e.explanation])),
    assumptionUpdates: new Map(updates.map((u) => [u.assumption_stable_id, { status: u.status, note: u.note }])),
    narrative,
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
  ): Promise<Map<string, ActualRow[]>> {
    // Plain rows (no entity hydration, no timestamp parsing): trim_scale gives the normalised decimal
    // string decimalTransformer would (numeric::text never uses exponent notation).
    const actuals: ActualRow[] = seriesIds.length
      ? await manager.query(
          `SELECT a.id, a.indicator_series_id AS "indicatorSeriesId",
                  to_char(a.period_start, 'YYYY-MM-DD') AS "periodStart", to_char(a.period_end, 'YYYY-MM-DD') AS "periodEnd",
                  trim_scale(a.value)::text AS value, trim_scale(a.numerator)::text AS numerator,
                  trim_scale(a.denominator)::text AS denominator, a.text, a.rating::text AS rating
             FROM actual a
            WHERE a.indicator_series_id = ANY($1::uuid[]) AND a.period_end <= $2::date
            ORDER BY a.period_end, a.period_start`,
          [seriesIds, end],
        )
      : [];
    return groupBy(actuals, (actual) => actual.indicatorSeriesId);
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
    // Each project's rows by key (one pass each), not a scan of every row per project.
    const progressByProject = new Map<string, ProgressReportEntity>();
    for (const p of progresses) if (!progressByProject.has(p.projectId)) progressByProject.set(p.projectId, p);
    const narrativeByProgress = new Map<string, ProgressNarrativeEntity>();
    for (const n of narratives)
      if (!narrativeByProgress.has(n.progressReportId)) narrativeByProgress.set(n.progressReportId, n);
    const ratingsByProgress = groupBy(ratings, (r) => r.progress_report_id);
    const explanationsByProgress = groupBy(explanations, (e) => e.progress_report_id);
    const updatesByProject = groupBy(updates, (u) => u.project_id);
    return new Map(
      projectIds.map((projectId) => {
        const progress = progressByProject.get(projectId) ?? null;
        return [
          projectId,
          toQuarterRecord(
            progress,
            (progress && ratingsByProgress.get(progress.id)) ?? [],
            (progress && explanationsByProgress.get(progress.id)) ?? [],
            updatesByProject.get(projectId) ?? [],
            (progress && narrativeByProgress.get(progress.id)) ?? null,
          ),
        ];
      }),
    );
  }

  /**
   * The disaggregated parts of the actuals {@link actualsToDate} reads for the same series and date (by
   * actual id; dimension, then category order). Selected by series and date in SQL, so no list of actual
   * ids travels as a parameter.
   */
  async disaggregationsToDate(
    seriesIds: string[],
    end: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, ActualPartRow[]>> {
    const parts: ActualPartRow[] = seriesIds.length
      ? await manager.query(
          `SELECT d.actual_id AS "actualId", d.dimension, d.category, trim_scale(d.value)::text AS value,
                  trim_scale(d.numerator)::text AS numerator, trim_scale(d.denominator)::text AS denominator
             FROM actual_disaggregation d
             JOIN actual a ON a.id = d.actual_id
            WHERE a.indicator_series_id = ANY($1::uuid[]) AND a.period_end <= $2::date
            ORDER BY d.dimension, d.category`,
          [seriesIds, end],
        )
      : [];
    return groupBy(parts, (part) => part.actualId);
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
