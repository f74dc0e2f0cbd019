import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProjectEntity, ReportEntity, ReportFileEntity, type ReportFormat } from '#libs/database';
import { LogframeReader } from '#libs/logframe';
import { buildPortfolioReport, type PortfolioReportContent } from './portfolio-report.js';
import { buildProjectReport, type ProjectReportContent } from './project-report.js';
import { renderPortfolioPdf, renderPortfolioXlsx, renderReportPdf, renderReportXlsx } from './render/index.js';
import { renderPortfolioCsv, renderReportCsv } from './report-csv.js';
import { ReportInputsRepository } from './report-inputs.repository.js';

/** What a run of the builder did. */
export type ReportBuildOutcome = 'completed' | 'already-completed' | 'missing';

/**
 * Builds a requested report in the worker: marks it running, reads one consistent snapshot of its
 * inputs (REPEATABLE READ), computes the content, renders the files and stores content + files +
 * `completed` in one transaction. Running it twice for the same report yields one result.
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
      await manager
        .getRepository(ReportEntity)
        .update(
          { id: reportId },
          { status: 'running', startedAt: new Date(), attempts: report.attempts + 1, error: null },
        );
      return report;
    });
    if (claimed === 'missing' || claimed === 'already-completed') return claimed;

    const content: ProjectReportContent | PortfolioReportContent = await this.dataSource.transaction(
      'REPEATABLE READ',
      async (manager) => {
        if (claimed.scopeType !== 'project') {
          const portfolio = await this.inputs.portfolioSources(
            claimed.scopeType,
            claimed.scopeId,
            claimed.year,
            claimed.quarter,
            manager,
          );
          if (!portfolio) throw new Error(`Report scope ${claimed.scopeType} ${claimed.scopeId} no longer exists`);
          return buildPortfolioReport({
            scope: { type: claimed.scopeType, id: claimed.scopeId, name: portfolio.name },
            year: claimed.year,
            quarter: claimed.quarter,
            sources: portfolio.sources,
            fundedBy: portfolio.fundedBy,
            standardIndicators: portfolio.standardIndicators,
          });
        }
        const project = await manager.getRepository(ProjectEntity).findOneByOrFail({ id: claimed.scopeId });
        const revision = await this.logframes.revisionInForce(project.id, manager);
        if (!revision) throw new Error(`Project ${project.code} has no logframe`);
        const source = await this.inputs.projectSource(revision.id, claimed.year, claimed.quarter, manager);
        return buildProjectReport({
          tree: source.tree,
          actualsBySeries: source.actualsBySeries,
          thresholds: source.thresholds,
          year: claimed.year,
          quarter: claimed.quarter,
          quarterValidated: source.quarterValidated,
          graceDays: source.settings.validationCutoffDays,
          approvedByEmail: source.approvedByEmail,
          validation: source.validation,
          outcomeRatings: source.outcomeRatings,
          varianceExplanations: source.varianceExplanations,
          assumptionUpdates: source.assumptionUpdates,
        });
      },
    );

    const files = await this.render(content);
    await this.dataSource.transaction(async (manager) => {
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
        },
      );
    });
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

  /** The stored files: JSON, CSV, XLSX and PDF for every scope, each with its SHA-256. */
  private async render(
    content: ProjectReportContent | PortfolioReportContent,
  ): Promise<{ format: ReportFormat; mediaType: string; content: Buffer; sha256: string; byteSize: number }[]> {
    const file = (format: ReportFormat, mediaType: string, body: string | Buffer) => {
      const buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      return {
        format,
        mediaType,
        content: buffer,
        sha256: createHash('sha256').update(buffer).digest('hex'),
        byteSize: buffer.length,
      };
    };
    if (content.kind !== 'project-quarterly-report') {
      return [
        file('json', 'application/json', JSON.stringify(content, null, 2)),
        file('csv', 'text/csv; charset=utf-8', renderPortfolioCsv(content)),
        file(
          'xlsx',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          await renderPortfolioXlsx(content),
        ),
        file('pdf', 'application/pdf', await renderPortfolioPdf(content)),
      ];
    }
    return [
      file('json', 'application/json', JSON.stringify(content, null, 2)),
      file('csv', 'text/csv; charset=utf-8', renderReportCsv(content)),
      file(
        'xlsx',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        await renderReportXlsx(content),
      ),
      file('pdf', 'application/pdf', await renderReportPdf(content)),
    ];
  }
}
