import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProjectEntity, ReportEntity, ReportFileEntity } from '#libs/database';
import { LogframeReader } from '#libs/logframe';
import { buildPortfolioReport, type PortfolioReportContent } from './portfolio-report.js';
import { buildProjectReport, type ProjectReportContent } from './project-report.js';
import { renderPortfolioCsv, renderReportCsv } from './report-csv.js';
import { fileRecord } from './report-file.service.js';
import { portfolioReportFingerprint, projectReportFingerprint } from './report-fingerprint.js';
import { ReportInputsRepository } from './report-inputs.repository.js';

/** What a run of the builder did. */
export type ReportBuildOutcome = 'completed' | 'already-completed' | 'missing' | 'superseded';

/**
 * Builds a requested report in the worker: marks it running, reads one consistent snapshot of its
 * inputs (REPEATABLE READ), computes the content and recomputes the fingerprint from that same
 * snapshot, renders the JSON and CSV files and stores content + files + `completed` in one transaction
 * (XLSX and PDF are rendered on their first download: ReportFileService). Running it twice for the same
 * report yields one result.
 *
 * Fingerprint and content always agree (docs/RULES.md): if the inputs changed between the request and
 * the build, the content is stored under the new fingerprint; if another report of the same scope and
 * quarter already has that fingerprint, this row becomes `superseded` (no content) and points to it.
 */
@Injectable()
export class ReportBuilderService {
  private readonly logger = new Logger(ReportBuilderService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly logframes: LogframeReader,
    private readonly inputs: ReportInputsRepository,
  ) {}

  async build(reportId: string): Promise<ReportBuildOutcome> {
    const claimed = await this.dataSource.transaction(async (manager) => {
      const report = await manager
        .getRepository(ReportEntity)
        .createQueryBuilder('r')
        .setLock('pessimistic_write')
        .where('r.id = :id', { id: reportId })
        .getOne();
      if (!report) return 'missing' as const;
      if (report.status === 'completed') return 'already-completed' as const;
      if (report.status === 'superseded') return 'superseded' as const;
      await manager
        .getRepository(ReportEntity)
        .update(
          { id: reportId },
          { status: 'running', startedAt: new Date(), attempts: report.attempts + 1, error: null },
        );
      return report;
    });
    if (claimed === 'missing' || claimed === 'already-completed' || claimed === 'superseded') return claimed;

    // The content and its fingerprint come from the same snapshot (REPEATABLE READ): the fingerprint
    // taken at request time may be older than the data read here (an actual corrected in between).
    const { content, fingerprint } = await this.dataSource.transaction(
      'REPEATABLE READ',
      async (manager): Promise<{ content: ProjectReportContent | PortfolioReportContent; fingerprint: string }> => {
        if (claimed.scopeType !== 'project') {
          const portfolio = await this.inputs.portfolioSources(
            claimed.scopeType,
            claimed.scopeId,
            claimed.year,
            claimed.quarter,
            manager,
            claimed.restrictedToUnitIds,
          );
          if (!portfolio) throw new Error(`Report scope ${claimed.scopeType} ${claimed.scopeId} no longer exists`);
          return {
            content: buildPortfolioReport({
              scope: {
                type: claimed.scopeType,
                id: claimed.scopeId,
                name: portfolio.name,
                code: portfolio.code,
                title: portfolio.title,
                restrictedTo: portfolio.restrictedTo.length ? portfolio.restrictedTo : null,
              },
              year: claimed.year,
              quarter: claimed.quarter,
              sources: portfolio.sources,
              fundedBy: portfolio.fundedBy,
              standardIndicators: portfolio.standardIndicators,
            }),
            fingerprint: portfolioReportFingerprint(
              { type: claimed.scopeType, id: claimed.scopeId },
              claimed.year,
              claimed.quarter,
              portfolio,
              claimed.restrictedToUnitIds,
            ),
          };
        }
        const project = await manager.getRepository(ProjectEntity).findOneByOrFail({ id: claimed.scopeId });
        const revision = await this.logframes.revisionInForce(project.id, manager);
        if (!revision) throw new Error(`Project ${project.code} has no logframe`);
        const source = await this.inputs.projectSource(revision.id, claimed.year, claimed.quarter, manager);
        const content = buildProjectReport({
          ...source,
          year: claimed.year,
          quarter: claimed.quarter,
          graceDays: source.settings.validationCutoffDays,
        });
        return { content, fingerprint: projectReportFingerprint(source, claimed.year, claimed.quarter) };
      },
    );

    const files = this.render(content);
    const outcome = await this.dataSource.transaction(async (manager) => {
      if (fingerprint !== claimed.fingerprint) {
        // Same lock as ReportRequestService: no request of this scope and quarter interleaves.
        const restrictedToUnitIds = [...(claimed.restrictedToUnitIds ?? [])].sort();
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `report:${claimed.scopeType}:${claimed.scopeId}:${restrictedToUnitIds.join(',')}:${claimed.year}:${claimed.quarter}`,
        ]);
        const twin = await manager
          .getRepository(ReportEntity)
          .createQueryBuilder('r')
          .where('r.scopeType = :scopeType AND r.scopeId = :scopeId AND r.year = :year AND r.quarter = :quarter', {
            scopeType: claimed.scopeType,
            scopeId: claimed.scopeId,
            year: claimed.year,
            quarter: claimed.quarter,
          })
          .andWhere(
            'r.restricted_to_unit_ids = CAST(:restrictedToUnitIds AS uuid[]) AND r.fingerprint = :fingerprint',
            {
              restrictedToUnitIds,
              fingerprint,
            },
          )
          .getOne();
        if (twin && twin.id !== reportId) {
          await manager.getRepository(ReportEntity).update(
            { id: reportId },
            {
              status: 'superseded',
              supersededById: twin.id,
              completedAt: new Date(),
              error: null,
            },
          );
          this.logger.warn(
            { reportId, supersededBy: twin.id, requestedFingerprint: claimed.fingerprint, fingerprint },
            'report superseded: its inputs changed after the request and match another report',
          );
          return 'superseded' as const;
        }
        this.logger.warn(
          { reportId, requestedFingerprint: claimed.fingerprint, fingerprint },
          'report inputs changed after the request: stored under the fingerprint of its content',
        );
      }
      await manager.getRepository(ReportFileEntity).delete({ reportId });
      await manager.getRepository(ReportFileEntity).insert(files.map((f) => ({ ...f, reportId })));
      await manager.getRepository(ReportEntity).update(
        { id: reportId },
        {
          status: 'completed',
          content: content as unknown as object,
          internal: content.internal,
          completedAt: new Date(),
          error: null,
          thresholdsVersion: content.thresholds.version,
          fingerprint,
        },
      );
      return 'completed' as const;
    });
    if (outcome === 'superseded') return outcome;
    this.logger.log(
      {
        reportId,
        scope: content.kind === 'project-quarterly-report' ? content.scope.code : content.scope.name,
        quarter: content.quarter.label,
      },
      'report completed',
    );
    return 'completed';
  }

  /** Marks a report failed with the error a user can read (after its last attempt). */
  async markFailed(reportId: string, error: string): Promise<void> {
    await this.dataSource
      .getRepository(ReportEntity)
      .update({ id: reportId }, { status: 'failed', error: error.slice(0, 2000) });
  }

  /**
   * The files stored at build: JSON and CSV, each with its SHA-256 (XLSX and PDF, most never
   * downloaded, are rendered on first download).
   */
  private render(content: ProjectReportContent | PortfolioReportContent): ReturnType<typeof fileRecord>[] {
    return [
      fileRecord('json', 'application/json', JSON.stringify(content, null, 2)),
      fileRecord(
        'csv',
        'text/csv; charset=utf-8',
        content.kind === 'project-quarterly-report' ? renderReportCsv(content) : renderPortfolioCsv(content),
      ),
    ];
  }
}
