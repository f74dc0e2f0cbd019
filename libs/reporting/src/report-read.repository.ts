import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { ReportEntity, type ReportScope } from '#libs/database';

/** The columns of a report listed without its content. */
const LISTED_COLUMNS = [
  'r.id',
  'r.scopeType',
  'r.scopeId',
  'r.restrictedToUnitIds',
  'r.year',
  'r.quarter',
  'r.periodStart',
  'r.periodEnd',
  'r.version',
  'r.status',
  'r.internal',
  'r.fingerprint',
  'r.error',
  'r.requestedAt',
  'r.completedAt',
  'r.attempts',
  'r.thresholdsVersion',
  'r.queuedAt',
  'r.startedAt',
  'r.updatedAt',
  'r.requestedById',
];

/** A scope's code and title as read: the code may be missing (a donor without an IATI identifier). */
export interface ScopeLabelRow {
  id: string;
  code: string | null;
  title: string;
}

/** One row of a scope-label query, typed. */
export function toScopeLabelRow(row: Record<string, unknown>): ScopeLabelRow {
  return {
    id: String(row.id),
    code: row.code === null || row.code === undefined ? null : String(row.code),
    title: String(row.title),
  };
}

/** The code and title of a scope, per scope type (`id` as text: SDG targets are keyed by code). */
const SCOPE_LABEL_SQL: Record<ReportScope, string> = {
  project: `SELECT id::text AS id, code, title FROM project WHERE id::text = ANY($1)`,
  programme: `SELECT id::text AS id, code, title FROM programme WHERE id::text = ANY($1)`,
  org_unit: `SELECT id::text AS id, code, name AS title FROM org_unit WHERE id::text = ANY($1)`,
  donor: `SELECT id::text AS id, iati_org_ref AS code, name AS title FROM donor WHERE id::text = ANY($1)`,
  sdg_target: `SELECT code AS id, code, title FROM sdg_target WHERE code = ANY($1)`,
};

/** Reads of report rows for the API: one report, lists filtered by scope, the labels of their scopes. */
@Injectable()
export class ReportReadRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A report with its content, or null. */
  async findById(reportId: string, manager: EntityManager = this.dataSource.manager): Promise<ReportEntity | null> {
    return manager.getRepository(ReportEntity).findOneBy({ id: reportId });
  }

  /**
   * Reports of a scope, newest quarter and version first (at most 500), without their content.
   * `restrict` adds the caller's scope predicate (the policy's `scopeReports`) to the query.
   */
  async list(
    filter: { scopeType?: ReportScope; scopeId?: string },
    restrict: (qb: SelectQueryBuilder<ReportEntity>) => SelectQueryBuilder<ReportEntity>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ReportEntity[]> {
    const qb = manager.getRepository(ReportEntity).createQueryBuilder('r').select(LISTED_COLUMNS).where('TRUE');
    if (filter.scopeType) qb.andWhere('r.scope_type = :scopeType', { scopeType: filter.scopeType });
    if (filter.scopeId) qb.andWhere('r.scope_id = :scopeId', { scopeId: filter.scopeId });
    return restrict(qb)
      .orderBy('r.year', 'DESC')
      .addOrderBy('r.quarter', 'DESC')
      .addOrderBy('r.version', 'DESC')
      .take(500)
      .getMany();
  }

  /** The code and title of the scopes of one type, by scope id (an SDG target by its code). */
  async scopeLabels(
    scopeType: ReportScope,
    scopeIds: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ScopeLabelRow[]> {
    const rows: Record<string, unknown>[] = await manager.query(SCOPE_LABEL_SQL[scopeType], [scopeIds]);
    return rows.map(toScopeLabelRow);
  }
}
