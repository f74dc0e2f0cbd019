import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { DomainException, ErrorCode } from '#libs/common';
import { ReportEntity, ReportFileEntity, type ReportFormat } from '#libs/database';
import { ReportFileService } from './report-file.service.js';
import { slug } from './report-inputs.repository.js';

/** The code and title of a report's scope (report lists, file names). */
export interface ReportScopeLabel {
  /** Project, programme or org unit code; the donor's IATI organisation identifier (or a slug of its name); the SDG target code. */
  code: string;
  title: string;
}

/**
 * The download name of a report file (issue 12): `<project code>-<year>Q<quarter>-v<version>.<ext>` for a
 * project report, `<scope type>-<scope code>-<year>Q<quarter>-v<version>.<ext>` otherwise (e.g.
 * `donor-GB-GOV-3-2022Q2-v1.pdf`). Characters a file system refuses (`/ \ : * ? " < > |`, controls) become `-`.
 */
export function reportFileName(
  report: Pick<ReportEntity, 'scopeType' | 'year' | 'quarter' | 'version'>,
  scope: ReportScopeLabel,
  extension: string,
): string {
  const code = [...scope.code]
    .map((ch) => (/[\\/:*?"<>|]/.test(ch) || ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f ? '-' : ch))
    .join('');
  const stem = report.scopeType === 'project' ? code : `${report.scopeType}-${code}`;
  return `${stem}-${report.year}Q${report.quarter}-v${report.version}.${extension}`;
}

/** Reads reports and their stored files. */
@Injectable()
export class ReportReadService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly files: ReportFileService,
  ) {}

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
   * The code and title of each report's scope (two to five set-based queries, one per scope type
   * present), by report id. A scope that no longer exists keeps its id as code.
   */
  async scopeLabels(
    reports: Pick<ReportEntity, 'id' | 'scopeType' | 'scopeId'>[],
  ): Promise<Map<string, ReportScopeLabel>> {
    const queries: Record<ReportEntity['scopeType'], string> = {
      project: `SELECT id::text AS id, code, title FROM project WHERE id::text = ANY($1)`,
      programme: `SELECT id::text AS id, code, title FROM programme WHERE id::text = ANY($1)`,
      org_unit: `SELECT id::text AS id, code, name AS title FROM org_unit WHERE id::text = ANY($1)`,
      donor: `SELECT id::text AS id, iati_org_ref AS code, name AS title FROM donor WHERE id::text = ANY($1)`,
      sdg_target: `SELECT code AS id, code, title FROM sdg_target WHERE code = ANY($1)`,
    };
    const found = new Map<string, ReportScopeLabel>();
    for (const type of [...new Set(reports.map((r) => r.scopeType))]) {
      const ids = [...new Set(reports.filter((r) => r.scopeType === type).map((r) => r.scopeId))];
      const rows: { id: string; code: string | null; title: string }[] = await this.dataSource.query(queries[type], [
        ids,
      ]);
      for (const row of rows) found.set(`${type}:${row.id}`, { code: row.code ?? slug(row.title), title: row.title });
    }
    return new Map(
      reports.map((r) => [r.id, found.get(`${r.scopeType}:${r.scopeId}`) ?? { code: r.scopeId, title: r.scopeId }]),
    );
  }

  /**
   * A file of a completed report: JSON and CSV as stored at build; XLSX and PDF as stored, rendered
   * first on their first download (ReportFileService: one render per report and format).
   * @throws DomainException not_found when the report is missing; conflict when it is not completed yet;
   *   unavailable when an XLSX or PDF render runs out of time or memory
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
    if (format === 'xlsx' || format === 'pdf') return this.files.fileOf(report, format);
    const file = await this.dataSource.getRepository(ReportFileEntity).findOneBy({ reportId, format });
    if (!file) throw DomainException.notFound(`The ${format.toUpperCase()} file of this report`);
    return file;
  }
}
