import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainException } from '#libs/common';
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

  /** Reports of a scope, newest quarter and version first. */
  async list(filter: { scopeType?: ReportEntity['scopeType']; scopeId?: string }): Promise<ReportEntity[]> {
    return this.dataSource.getRepository(ReportEntity).find({
      where: { ...(filter.scopeType ? { scopeType: filter.scopeType } : {}), ...(filter.scopeId ? { scopeId: filter.scopeId } : {}) },
      order: { year: 'DESC', quarter: 'DESC', version: 'DESC' },
      select: { id: true, scopeType: true, scopeId: true, year: true, quarter: true, periodStart: true, periodEnd: true, version: true, status: true, internal: true, fingerprint: true, error: true, requestedAt: true, completedAt: true, attempts: true, thresholdsVersion: true, queuedAt: true, startedAt: true, updatedAt: true, requestedById: true },
      take: 500,
    });
  }

  /**
   * A stored file of a completed report.
   * @throws DomainException not_found when the report is missing or not completed yet (message says which)
   */
  async file(reportId: string, format: ReportFormat): Promise<ReportFileEntity> {
    const report = await this.get(reportId);
    if (report.status !== 'completed') throw DomainException.conflict(`Report is ${report.status}; files exist once it is completed`);
    const file = await this.dataSource.getRepository(ReportFileEntity).findOneBy({ reportId, format });
    if (!file) throw DomainException.notFound(`The ${format.toUpperCase()} file of this report`);
    return file;
  }
}
