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

/** An actual as {@link ProgressReadRepository.actualsToDate} receives it: `[id, start, end, value, numerator, denominator, text, rating]`. */
type ActualTuple = [string, string, string, string | null, string | null, string | null, string | null, string | null];

/** The one mapping of an actual's tuple (of series `seriesId`) onto its row. */
function toActualRow(
  seriesId: string,
  [id, periodStart, periodEnd, value, numerator, denominator, text, rating]: ActualTuple,
): ActualRow {
  return {
    id,
    indicatorSeriesId: seriesId,
    periodStart,
    periodEnd,
    value,
    numerator,
    denominator,
    text,
    rating: rating as MilestoneRating | null,
  };
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
    if (seriesIds.length === 0) return new Map();
    // One row per series, its actuals as the text of one JSON array of tuples in period order (the unique
    // index `(indicator_series_id, period_start, period_end)` leaves no tie): the worker parses one JSON
    // text per series instead of nine fields per actual (about a third of the CPU of the row-per-actual
    // read; PostgreSQL spends slightly more). Each element is valid JSON as written: uuids and decimals
    // (trim_scale: the normalised string decimalTransformer gives, numeric::text never uses exponent
    // notation) quoted, dates, text and rating through to_json ('YYYY-MM-DD' whatever the DateStyle).
    // Plain rows: no entity hydration.
    const series: { series: string; rows: string }[] = await manager.query(
      `SELECT a.indicator_series_id AS series,
              '[' || string_agg(concat('["', a.id, '",', to_json(a.period_start), ',', to_json(a.period_end), ',',
                                       coalesce('"' || trim_scale(a.value) || '"', 'null'), ',',
                                       coalesce('"' || trim_scale(a.numerator) || '"', 'null'), ',',
                                       coalesce('"' || trim_scale(a.denominator) || '"', 'null'), ',',
                                       coalesce(to_json(a.text)::text, 'null'), ',', coalesce(to_json(a.rating)::text, 'null'), ']'),
                                ',' ORDER BY a.period_end, a.period_start) || ']' AS rows
         FROM actual a
        WHERE a.indicator_series_id = ANY($1::uuid[]) AND a.period_end <= $2::date
        GROUP BY a.indicator_series_id`,
      [seriesIds, end],
    );
    return new Map(
      series.map(({ series: id, rows }) => [
        id,
        (JSON.parse(rows) as ActualTuple[]).map((tuple) => toActualRow(id, tuple)),
      ]),
    );
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
