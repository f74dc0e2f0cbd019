import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { ActualDisaggregationEntity, ActualEntity, type MilestoneRating } from '#libs/database';

/** An actual of a quarter as read: its values, its version (send it back to change it) and who saved it when. */
export interface QuarterActual {
  id: string;
  indicatorId: string;
  periodStart: string;
  periodEnd: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  text: string | null;
  rating: MilestoneRating | null;
  comment: string | null;
  evidenceUrl: string | null;
  disaggregations: {
    dimension: string;
    category: string;
    value: number | null;
    numerator: number | null;
    denominator: number | null;
  }[];
  version: number;
  provenance: string;
  savedBy: string | null;
  savedAt: string;
}

/** The values of one actual as written by a quarter's bulk entry (decimal strings). */
export interface ActualValues {
  value: string | null;
  numerator: string | null;
  denominator: string | null;
  text: string | null;
  rating: MilestoneRating | null;
}

/** What a bulk entry writes on an actual besides its values. */
export interface ActualWrite extends ActualValues {
  comment: string | null;
  evidenceUrl: string | null;
  provenance: 'entered';
  enteredById: string;
}

/** One disaggregated part as written (decimal strings). */
export interface ActualPartWrite {
  dimension: string;
  category: string;
  value?: string | null;
  numerator?: string | null;
  denominator?: string | null;
}

/** An actual with its disaggregated parts. */
export type ActualWithParts = ActualEntity & { disaggregations: ActualDisaggregationEntity[] };

/** Raw row of {@link ActualsRepository.quarterActuals}: the actual's columns and who saved it. */
interface QuarterActualRow {
  id: string;
  indicator_series_id: string;
  period_start: string;
  period_end: string;
  value: string | null;
  numerator: string | null;
  denominator: string | null;
  text: string | null;
  rating: MilestoneRating | null;
  comment: string | null;
  evidence_url: string | null;
  version: number;
  provenance: string;
  saved_by: string | null;
  updated_at: Date;
}

const jsonNumber = (v: string | null): number | null => (v === null ? null : Number(v));

/** Maps one raw row of a quarter's actuals, with its parts, onto the read model's {@link QuarterActual}. */
function toQuarterActual(row: QuarterActualRow, parts: ActualDisaggregationEntity[]): QuarterActual {
  return {
    id: row.id,
    indicatorId: row.indicator_series_id,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    value: jsonNumber(row.value),
    numerator: jsonNumber(row.numerator),
    denominator: jsonNumber(row.denominator),
    text: row.text,
    rating: row.rating,
    comment: row.comment,
    evidenceUrl: row.evidence_url,
    disaggregations: parts.map((p) => ({
      dimension: p.dimension,
      category: p.category,
      value: jsonNumber(p.value),
      numerator: jsonNumber(p.numerator),
      denominator: jsonNumber(p.denominator),
    })),
    version: row.version,
    provenance: row.provenance,
    savedBy: row.saved_by,
    savedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Maps the raw rows of `SELECT id, email FROM app_user` onto a map by id. */
function toEmails(rows: { id: string; email: string }[]): Map<string, string> {
  return new Map(rows.map((r) => [r.id, r.email]));
}

/**
 * Actuals and their disaggregated parts (DESIGN.md §4) as the progress workflow reads and writes them.
 * Every method takes the caller's EntityManager (last parameter) so it runs inside the caller's
 * transaction; reporting reads actuals through {@link ProgressReadRepository}.
 */
@Injectable()
export class ActualsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stable ids of the project's retired indicator series. */
  async retiredSeriesIds(projectId: string, manager: EntityManager = this.dataSource.manager): Promise<Set<string>> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM indicator_series WHERE project_id = $1 AND retired_at IS NOT NULL`,
      [projectId],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Every actual of the given indicator series (any period). */
  async ofSeries(seriesIds: string[], manager: EntityManager = this.dataSource.manager): Promise<ActualEntity[]> {
    if (!seriesIds.length) return [];
    return manager.getRepository(ActualEntity).findBy({ indicatorSeriesId: In(seriesIds) });
  }

  /**
   * Writes one actual of a bulk entry: `existing` updated in place (its version goes up), else a new
   * actual of the series and period; its disaggregated parts are replaced by `parts`.
   * @returns the actual as saved
   */
  async write(
    existing: ActualEntity | undefined,
    target: { seriesId: string; periodStart: string; periodEnd: string },
    fields: ActualWrite,
    parts: ActualPartWrite[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ActualEntity> {
    const actuals = manager.getRepository(ActualEntity);
    let saved: ActualEntity;
    if (existing) {
      Object.assign(existing, fields);
      saved = await actuals.save(existing);
      await manager.getRepository(ActualDisaggregationEntity).delete({ actualId: existing.id });
    } else {
      saved = await actuals.save(
        actuals.create({
          ...fields,
          indicatorSeriesId: target.seriesId,
          periodStart: target.periodStart,
          periodEnd: target.periodEnd,
          sourceNote: null,
        }),
      );
    }
    if (parts.length)
      await manager.getRepository(ActualDisaggregationEntity).insert(
        parts.map((p) => ({
          actualId: saved.id,
          dimension: p.dimension,
          category: p.category,
          value: p.value ?? null,
          numerator: p.numerator ?? null,
          denominator: p.denominator ?? null,
        })),
      );
    return saved;
  }

  /** Emails of the given users (by id), to say who saved an actual. */
  async emailsOf(userIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    if (!userIds.length) return new Map();
    return toEmails(await manager.query(`SELECT id, email FROM app_user WHERE id = ANY($1)`, [userIds]));
  }

  /** Whether `userId` entered an actual of the project with a period ending in the range (four eyes). */
  async enteredBy(
    projectId: string,
    range: { start: string; end: string },
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const rows: { hit: number }[] = await manager.query(
      `SELECT 1 AS hit FROM actual a JOIN indicator_series s ON s.id = a.indicator_series_id WHERE s.project_id = $1 AND a.period_end BETWEEN $2 AND $3 AND a.entered_by_id = $4 LIMIT 1`,
      [projectId, range.start, range.end, userId],
    );
    return rows.length > 0;
  }

  /** The actuals whose period ends in the range, with parts and who saved them (one query each for rows and parts). */
  async quarterActuals(
    seriesIds: string[],
    range: { start: string; end: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<QuarterActual[]> {
    if (!seriesIds.length) return [];
    const rows: QuarterActualRow[] = await manager.query(
      `SELECT a.id, a.indicator_series_id, a.period_start::text AS period_start, a.period_end::text AS period_end,
              a.value::text AS value, a.numerator::text AS numerator, a.denominator::text AS denominator,
              a.text, a.rating, a.comment, a.evidence_url, a.version, a.provenance, u.email AS saved_by, a.updated_at
         FROM actual a LEFT JOIN app_user u ON u.id = a.entered_by_id
        WHERE a.indicator_series_id = ANY($1) AND a.period_end BETWEEN $2 AND $3
        ORDER BY a.period_end, a.indicator_series_id`,
      [seriesIds, range.start, range.end],
    );
    const parts = await this.partsOf(
      rows.map((r) => r.id),
      manager,
    );
    return rows.map((r) =>
      toQuarterActual(
        r,
        parts.filter((p) => p.actualId === r.id),
      ),
    );
  }

  /** Every actual of one indicator series in period order (end, then start), each with its parts. */
  async seriesWithParts(
    seriesId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ActualWithParts[]> {
    const actuals = await manager
      .getRepository(ActualEntity)
      .find({ where: { indicatorSeriesId: seriesId }, order: { periodEnd: 'ASC', periodStart: 'ASC' } });
    const parts = await this.partsOf(
      actuals.map((a) => a.id),
      manager,
    );
    return actuals.map((a) => ({ ...a, disaggregations: parts.filter((p) => p.actualId === a.id) }));
  }

  private async partsOf(actualIds: string[], manager: EntityManager): Promise<ActualDisaggregationEntity[]> {
    if (!actualIds.length) return [];
    return manager.getRepository(ActualDisaggregationEntity).findBy({ actualId: In(actualIds) });
  }
}
