import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ActivityEntity,
  AssumptionEntity,
  IndicatorEntity,
  IndicatorSeriesEntity,
  OutcomeEntity,
  OutputEntity,
  PeriodTargetEntity,
  SdgLinkEntity,
  StandardIndicatorEntity,
} from '#libs/database';
import type { LogframePlan, LogframePlanContext } from './plan-logframe.js';

/** The element kinds a review comment may point at, by stable id (see {@link LogframeRowsRepository.elementKinds}). */
export type ElementKind = 'outcome' | 'output' | 'indicator' | 'activity' | 'assumption';

/** What TypeORM's PostgreSQL driver answers to `UPDATE … RETURNING` (and DELETE): the rows and the affected count. */
type UpdateReturning<T> = [T[], number];

/** The rows an `UPDATE … RETURNING` returned (not the pair TypeORM wraps them in). */
function returnedRows<T>(result: UpdateReturning<T>): T[] {
  return result[0];
}

/** The one mapping of raw element-kind rows: stable id → kind. */
function toElementKinds(rows: { stable_id: string; kind: ElementKind }[]): Map<string, ElementKind> {
  return new Map(rows.map((r) => [r.stable_id, r.kind]));
}

/**
 * The element rows of logframe revisions (outcomes, outputs, activities, indicators, period targets,
 * SDG links, assumptions) and indicator series, for writes: repository layer, the only place that
 * writes these tables. Every method runs on `manager` (a transaction's, from TransactionRunner) when given.
 */
@Injectable()
export class LogframeRowsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The current rows of a revision that planning a replace matches against (one query per table). */
  async currentRows(
    revisionId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframePlanContext['current']> {
    return {
      outcomes: await manager.getRepository(OutcomeEntity).findBy({ revisionId }),
      outputs: await manager.getRepository(OutputEntity).findBy({ revisionId }),
      activities: await manager.getRepository(ActivityEntity).findBy({ revisionId }),
      indicators: await manager.getRepository(IndicatorEntity).findBy({ revisionId }),
      assumptions: await manager.getRepository(AssumptionEntity).findBy({ revisionId }),
    };
  }

  /** Which of `codes` exist in the SDG table (`sdg_target` or `sdg_indicator`). */
  async existingSdgCodes(
    table: 'sdg_target' | 'sdg_indicator',
    codes: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Set<string>> {
    const rows: { code: string }[] = await manager.query(`SELECT code FROM ${table} WHERE code = ANY($1)`, [codes]);
    return new Set(rows.map((r) => r.code));
  }

  /** The standard indicators with these ids (code and measure), keyed by id. */
  async standardIndicators(
    ids: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframePlanContext['standardIndicators']> {
    const rows = ids.length
      ? await manager
          .getRepository(StandardIndicatorEntity)
          .createQueryBuilder('s')
          .where('s.id = ANY(:ids)', { ids })
          .getMany()
      : [];
    return new Map(rows.map((s) => [s.id, { code: s.code, measure: s.measure }]));
  }

  /** Rewrites the revision's rows as planned: deletes then inserts each table with one statement (constant queries). */
  async replaceRows(
    revisionId: string,
    plan: LogframePlan,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    for (const table of ['sdg_link', 'assumption', 'activity', 'indicator', 'output', 'outcome'])
      await manager.query(`DELETE FROM ${table} WHERE revision_id = $1`, [revisionId]);
    if (plan.newSeries.length)
      await manager
        .getRepository(IndicatorSeriesEntity)
        .insert(plan.newSeries.map((id) => ({ id, projectId: plan.projectId })));
    const insert = async <T extends object>(entity: new () => T, rows: Partial<T>[]) => {
      if (rows.length)
        await manager
          .createQueryBuilder()
          .insert()
          .into(entity)
          .values(rows as never)
          .execute();
    };
    await insert(OutcomeEntity, plan.outcomeRows);
    await insert(OutputEntity, plan.outputRows);
    await insert(ActivityEntity, plan.activityRows);
    await insert(IndicatorEntity, plan.indicatorRows);
    await insert(PeriodTargetEntity, plan.targetRows);
    await insert(AssumptionEntity, plan.assumptionRows);
    await insert(SdgLinkEntity, plan.linkRows);
  }

  /**
   * Clears the review flags of the revision's indicators with these codes.
   * @returns the codes of the indicators that had flags (now cleared)
   */
  async clearIndicatorFlags(
    revisionId: string,
    codes: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const result: UpdateReturning<{ code: string }> = await manager.query(
      `UPDATE indicator SET flags = '[]', updated_at = now() WHERE revision_id = $1 AND code = ANY($2) AND flags <> '[]' RETURNING code`,
      [revisionId, codes],
    );
    return returnedRows(result).map((r) => r.code);
  }

  /** The stable ids of a revision's elements with their kind. */
  async elementKinds(
    revisionId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, ElementKind>> {
    const rows: { stable_id: string; kind: ElementKind }[] = await manager.query(
      `SELECT stable_id, 'outcome' AS kind FROM outcome WHERE revision_id = $1 UNION ALL SELECT stable_id, 'output' FROM output WHERE revision_id = $1
       UNION ALL SELECT stable_id, 'indicator' FROM indicator WHERE revision_id = $1 UNION ALL SELECT stable_id, 'activity' FROM activity WHERE revision_id = $1
       UNION ALL SELECT stable_id, 'assumption' FROM assumption WHERE revision_id = $1`,
      [revisionId],
    );
    return toElementKinds(rows);
  }

  /** An indicator series of the project locked for update in the caller's transaction, or null. */
  lockSeries(
    seriesId: string,
    projectId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IndicatorSeriesEntity | null> {
    return manager
      .getRepository(IndicatorSeriesEntity)
      .findOne({ where: { id: seriesId, projectId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Marks an indicator series retired now, with the reason and who retired it. */
  async retireSeries(
    seriesId: string,
    reason: string,
    actorId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager
      .getRepository(IndicatorSeriesEntity)
      .update({ id: seriesId }, { retiredAt: new Date(), retiredReason: reason, retiredById: actorId });
  }

  /**
   * Copies every row of revision `from` into revision `to` (same stable ids, new row ids, parents
   * re-pointed through stable ids), with one INSERT … SELECT per table: a constant number of queries.
   */
  async copyRevision(from: string, to: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    for (const sql of COPY_REVISION_SQL) await manager.query(sql, [from, to]);
  }
}

const sameStable = (table: string, column: string, alias: string) =>
  `(SELECT n.id FROM ${table} n JOIN ${table} o2 ON o2.stable_id = n.stable_id WHERE n.revision_id = $2 AND o2.id = ${alias}.${column})`;

/** The statements of {@link LogframeRowsRepository.copyRevision}, in order ($1 from, $2 to). */
const COPY_REVISION_SQL = [
  `INSERT INTO outcome (id, revision_id, stable_id, code, statement, position) SELECT gen_random_uuid(), $2, stable_id, code, statement, position FROM outcome WHERE revision_id = $1`,
  `INSERT INTO output (id, revision_id, stable_id, outcome_id, code, statement, position)
     SELECT gen_random_uuid(), $2, o.stable_id, ${sameStable('outcome', 'outcome_id', 'o')}, o.code, o.statement, o.position FROM output o WHERE o.revision_id = $1`,
  `INSERT INTO activity (id, revision_id, stable_id, output_id, code, description, start_date, end_date, position)
     SELECT gen_random_uuid(), $2, a.stable_id, ${sameStable('output', 'output_id', 'a')}, a.code, a.description, a.start_date, a.end_date, a.position FROM activity a WHERE a.revision_id = $1`,
  `INSERT INTO indicator (id, revision_id, stable_id, level, outcome_id, output_id, code, title, definition, measure, iati_measure, unit, direction, aggregation, ordinal_scale,
       baseline_value, baseline_numerator, baseline_denominator, baseline_year, baseline_date, baseline_comment, baseline_not_available_reason, baseline_due_date,
       end_target_value, end_target_numerator, end_target_denominator, end_target_description, means_of_verification, data_source, collection_frequency,
       required_disaggregations, standard_indicator_id, sdg_indicator_code, flags, position)
     SELECT gen_random_uuid(), $2, i.stable_id, i.level, ${sameStable('outcome', 'outcome_id', 'i')}, ${sameStable('output', 'output_id', 'i')}, i.code, i.title, i.definition, i.measure, i.iati_measure, i.unit, i.direction, i.aggregation, i.ordinal_scale,
       i.baseline_value, i.baseline_numerator, i.baseline_denominator, i.baseline_year, i.baseline_date, i.baseline_comment, i.baseline_not_available_reason, i.baseline_due_date,
       i.end_target_value, i.end_target_numerator, i.end_target_denominator, i.end_target_description, i.means_of_verification, i.data_source, i.collection_frequency,
       i.required_disaggregations, i.standard_indicator_id, i.sdg_indicator_code, i.flags, i.position
     FROM indicator i WHERE i.revision_id = $1`,
  `INSERT INTO period_target (id, indicator_id, period_start, period_end, value, numerator, denominator, description, comment)
     SELECT gen_random_uuid(), n.id, t.period_start, t.period_end, t.value, t.numerator, t.denominator, t.description, t.comment
       FROM period_target t JOIN indicator i ON i.id = t.indicator_id AND i.revision_id = $1 JOIN indicator n ON n.stable_id = i.stable_id AND n.revision_id = $2`,
  `INSERT INTO period_target_disaggregation (id, period_target_id, dimension, category, value, numerator, denominator)
     SELECT gen_random_uuid(), nt.id, d.dimension, d.category, d.value, d.numerator, d.denominator
       FROM period_target_disaggregation d JOIN period_target t ON t.id = d.period_target_id JOIN indicator i ON i.id = t.indicator_id AND i.revision_id = $1
       JOIN indicator n ON n.stable_id = i.stable_id AND n.revision_id = $2 JOIN period_target nt ON nt.indicator_id = n.id AND nt.period_start = t.period_start AND nt.period_end = t.period_end`,
  `INSERT INTO sdg_link (id, revision_id, outcome_id, output_id, sdg_target_code, contribution, rationale, source)
     SELECT gen_random_uuid(), $2, ${sameStable('outcome', 'outcome_id', 'l')}, ${sameStable('output', 'output_id', 'l')}, l.sdg_target_code, l.contribution, l.rationale, l.source FROM sdg_link l WHERE l.revision_id = $1`,
  `INSERT INTO assumption (id, revision_id, stable_id, outcome_id, output_id, kind, statement, likelihood, impact, mitigation, position)
     SELECT gen_random_uuid(), $2, a.stable_id, ${sameStable('outcome', 'outcome_id', 'a')}, ${sameStable('output', 'output_id', 'a')}, a.kind, a.statement, a.likelihood, a.impact, a.mitigation, a.position FROM assumption a WHERE a.revision_id = $1`,
];
