import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { DomainException, ErrorCode } from '#libs/common';
import { ReportEntity, ReportFileEntity, type ReportFormat } from '#libs/database';

/** Reads reports and their stored files. */
@Injectable()
export class ReportReadService {
  constructor(private readonly dataSource: DataSource) {}

  /** @throws DomainException not_found */
  async get(reportId: string): Promise<ReportEntity> {
    const report = await this.dataSource.getRepository(ReportEntity).findOneBy({ id: reportId });
    if (!report) throw DomainException.notFound('Report');
    return report;
  }

  /**
   * Reports of a scope, newest quarter and version first (at most 500), without their content.
   * `restrict` narrows the query to what the caller may see (the policy service's `scopeReports`).
   */
  async list(
    filter: { scopeType?: ReportEntity['scopeType']; scopeId?: string },
    restrict: (qb: SelectQueryBuilder<ReportEntity>) => SelectQueryBuilder<ReportEntity> = (qb) => qb,
  ): Promise<ReportEntity[]> {
    const qb = this.dataSource
      .getRepository(ReportEntity)
      .createQueryBuilder('r')
      .select([
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
      ])
      .where('TRUE');
    if (filter.scopeType) qb.andWhere('r.scope_type = :scopeType', { scopeType: filter.scopeType });
    if (filter.scopeId) qb.andWhere('r.scope_id = :scopeId', { scopeId: filter.scopeId });
    return restrict(qb)
      .orderBy('r.year', 'DESC')
      .addOrderBy('r.quarter', 'DESC')
      .addOrderBy('r.version', 'DESC')
      .take(500)
      .getMany();
  }

  /**
   * A stored file of a completed report.
   * @throws DomainException not_found when the report is missing or not completed yet (message says which)
   */
  async file(reportId: string, format: ReportFormat): Promise<ReportFileEntity> {
    const report = await this.get(reportId);
    if (report.status !== 'completed')
      throw DomainException.conflict(
        ErrorCode.INVALID_STATE,
        `Report is ${report.status}; files exist once it is completed`,
        [],
        { status: report.status },
      );
    const file = await this.dataSource.getRepository(ReportFileEntity).findOneBy({ reportId, format });
    if (!file) throw DomainException.notFound(`The ${format.toUpperCase()} file of this report`);
    return file;
  }
}
