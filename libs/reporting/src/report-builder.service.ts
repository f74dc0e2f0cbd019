import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type ReportEntity, TransactionRunner } from '#libs/database';
import { buildPortfolioReport, type PortfolioReportContent } from './portfolio-report.js';
import { buildProjectReport, type ProjectReportContent } from './project-report.js';
import { renderPortfolioCsv, renderReportCsv } from './report-csv.js';
import { fileRecord } from './report-file.service.js';
import { portfolioReportFingerprint, projectReportFingerprint } from './report-fingerprint.js';
import { ReportInputsRepository } from './report-inputs.repository.js';
import { ReportRepository } from './report.repository.js';

/** What a run of the builder did. */
export type ReportBuildOutcome = 'completed' | 'already-completed' | 'missing' | 'superseded';

/** A report's content and the fingerprint of the snapshot it was computed from. */
interface Built {
  content: ProjectReportContent | PortfolioReportContent;
  fingerprint: string;
}

/**
 * Builds a requested report in the worker: marks it running, reads one consistent snapshot of its
 * inputs (REPEATABLE READ), computes the content and recomputes the fingerprint from that same
 * snapshot (the version stamps, one statement), renders the JSON and CSV files and stores content +
 * files + `completed` in one transaction (XLSX and PDF are rendered on their first download:
 * ReportFileService). Inputs are loaded once, without the revision's snapshot. Running it twice for the
 * same report yields one result. {@link buildBatch} builds several project reports of one quarter with
 * the inputs of all of them loaded set-based, in the same constant number of statements as one.
 *
 * Fingerprint and content always agree (docs/RULES.md): if the inputs changed between the request and
 * the build, the content is stored under the new fingerprint; if another report of the same scope and
 * quarter already has that fingerprint, this row becomes `superseded` (no content) and points to it.
 */
@Injectable()
export class ReportBuilderService {
  private readonly logger = new Logger(ReportBuilderService.name);

  constructor(
    private readonly tx: TransactionRunner,
    private readonly inputs: ReportInputsRepository,
    private readonly reports: ReportRepository,
  ) {}

  async build(reportId: string): Promise<ReportBuildOutcome> {
    const claimed = await this.tx.run(async (manager) => {
      const report = await this.reports.lockById(reportId, manager);
      if (!report) return 'missing' as const;
      if (report.status === 'completed') return 'already-completed' as const;
      if (report.status === 'superseded') return 'superseded' as const;
      await this.reports.markRunning([reportId], manager);
      return report;
    });
    if (claimed === 'missing' || claimed === 'already-completed' || claimed === 'superseded') return claimed;

    // The content and its fingerprint come from the same snapshot (REPEATABLE READ): the fingerprint
    // taken at request time may be older than the data read here (an actual corrected in between).
    const built = await this.tx.run(
      async (manager) =>
        claimed.scopeType === 'project'
          ? (await this.projectReports([claimed], manager))[0]()
          : this.portfolioReport(claimed, manager),
      { isolation: 'REPEATABLE READ' },
    );
    if (built instanceof Error) throw built;
    return this.store(claimed, built);
  }

  /**
   * Builds several project reports of one quarter (the quarterly run's batches): claims those not yet
   * completed, reads the inputs of all of them in one REPEATABLE READ snapshot with the set-based
   * queries of one report, then stores each (same rule as {@link build}). A report whose content cannot
   * be computed is built alone afterwards, so its error fails the job as a single build would.
   * @returns the outcome of each report, by id
   */
  async buildBatch(reportIds: string[]): Promise<Record<string, ReportBuildOutcome>> {
    // Rows gone, completed or superseded meanwhile are left alone.
    const outcomes: Record<string, ReportBuildOutcome> = Object.fromEntries(
      reportIds.map((id) => [id, 'already-completed' as ReportBuildOutcome]),
    );
    const claimed = await this.tx.run(async (manager) => {
      const rows = await this.reports.lockBatch(reportIds, manager);
      const projects = rows.filter(
        (r) => r.scopeType === 'project' && r.year === rows[0].year && r.quarter === rows[0].quarter,
      );
      await this.reports.markRunning(
        projects.map((r) => r.id),
        manager,
      );
      return { projects, others: rows.filter((r) => !projects.includes(r)) };
    });
    const built = await this.tx.run((manager) => this.projectReports(claimed.projects, manager), {
      isolation: 'REPEATABLE READ',
    });
    const alone: string[] = claimed.others.map((r) => r.id);
    for (const [i, report] of claimed.projects.entries()) {
      // One report's content at a time, between the stores: the event loop keeps turning (BullMQ's lock).
      await new Promise((resolve) => setImmediate(resolve));
      const result = built[i]();
      built[i] = () => result; // the inputs of a stored report can be collected
      if (result instanceof Error) alone.push(report.id);
      else outcomes[report.id] = await this.store(report, result);
    }
    for (const id of alone) outcomes[id] = await this.build(id);
    return outcomes;
  }

  /** Marks a report failed with the error a user can read (after its last attempt; never a completed one). */
  async markFailed(reportId: string, error: string): Promise<void> {
    await this.tx.run((manager) => this.reports.markFailed(reportId, error, manager));
  }

  /**
   * The content and fingerprint of project reports of one quarter, from one snapshot: the stamps (which
   * name each project's revision in force), then the inputs of every revision, set-based. Each report's
   * content is computed when its function is called (one at a time); an Error in place of a report whose
   * project or logframe no longer exists.
   */
  private async projectReports(reports: ReportEntity[], manager: EntityManager): Promise<(() => Built | Error)[]> {
    if (reports.length === 0) return [];
    const { year, quarter } = reports[0];
    if (reports.some((r) => r.year !== year || r.quarter !== quarter))
      throw new Error('A batch of reports is of one quarter');
    const stamps = await this.inputs.inputStamps(
      reports.map((r) => r.scopeId),
      year,
      quarter,
      manager,
    );
    const revisionIds = [...stamps.values()].flatMap((s) => (s.revision ? [s.revision.id] : []));
    const sources = new Map(
      (await this.inputs.projectSources(revisionIds, year, quarter, manager)).map((s) => [s.tree.project.id, s]),
    );
    return reports.map((report) => () => {
      const stamp = stamps.get(report.scopeId);
      const source = sources.get(report.scopeId);
      sources.delete(report.scopeId);
      if (!stamp) return new Error(`Project ${report.scopeId} no longer exists`);
      if (!stamp.revision || !source) return new Error(`Project ${report.scopeId} has no logframe`);
      return {
        content: buildProjectReport({ ...source, year, quarter, graceDays: source.settings.validationCutoffDays }),
        fingerprint: projectReportFingerprint(stamp, year, quarter),
      };
    });
  }

  /** The content and fingerprint of a multi-project report, from one snapshot. */
  private async portfolioReport(claimed: ReportEntity, manager: EntityManager): Promise<Built> {
    const scopeType = claimed.scopeType as Exclude<ReportEntity['scopeType'], 'project'>;
    const portfolio = await this.inputs.portfolioSources(
      scopeType,
      claimed.scopeId,
      claimed.year,
      claimed.quarter,
      manager,
      claimed.restrictedToUnitIds,
    );
    if (!portfolio) throw new Error(`Report scope ${claimed.scopeType} ${claimed.scopeId} no longer exists`);
    const stamps = await this.inputs.inputStamps(
      portfolio.sources.map((s) => s.tree.project.id),
      claimed.year,
      claimed.quarter,
      manager,
    );
    return {
      content: buildPortfolioReport({
        scope: {
          type: scopeType,
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
        { type: scopeType, id: claimed.scopeId },
        claimed.year,
        claimed.quarter,
        {
          name: portfolio.name,
          code: portfolio.code,
          title: portfolio.title,
          projects: [...stamps.values()],
          globalStamp: await this.inputs.globalStamp(manager),
        },
        claimed.restrictedToUnitIds,
      ),
    };
  }

  /** Stores a built report, or marks it superseded when another report has its content's fingerprint. */
  private async store(claimed: ReportEntity, { content, fingerprint }: Built): Promise<ReportBuildOutcome> {
    const reportId = claimed.id;
    const contentJson = JSON.stringify(content, null, 2);
    const files = this.render(content, contentJson);
    const outcome = await this.tx.run(async (manager) => {
      const key = {
        scopeType: claimed.scopeType,
        scopeId: claimed.scopeId,
        restrictedToUnitIds: [...(claimed.restrictedToUnitIds ?? [])].sort(),
        year: claimed.year,
        quarter: claimed.quarter,
      };
      // Same lock as ReportRequestService: no request of this scope and quarter interleaves.
      if (fingerprint !== claimed.fingerprint) await this.reports.lockScopeQuarter(key, manager);
      // Another build of this row (a job run again while this one still ran: BullMQ runs a job at least
      // once) may have stored it since it was claimed: a stored report and its files are never replaced.
      const now = await this.reports.lockById(reportId, manager);
      if (!now) return 'missing' as const;
      if (now.status === 'completed') return 'already-completed' as const;
      if (now.status === 'superseded') return 'superseded' as const;
      if (fingerprint !== claimed.fingerprint) {
        const twin = await this.reports.findByFingerprint(key, fingerprint, manager);
        if (twin && twin.id !== reportId) {
          await this.reports.markSuperseded(reportId, twin.id, manager);
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
      await this.reports.storeCompleted(
        reportId,
        {
          contentJson,
          internal: content.internal,
          thresholdsVersion: content.thresholds.version,
          fingerprint,
          files,
        },
        manager,
      );
      return 'completed' as const;
    });
    if (outcome !== 'completed') return outcome;
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

  /**
   * The files stored at build: JSON (`contentJson`, the content as `JSON.stringify(content, null, 2)`)
   * and CSV, each with its SHA-256 (XLSX and PDF, most never downloaded, are rendered on first download).
   */
  private render(
    content: ProjectReportContent | PortfolioReportContent,
    contentJson: string,
  ): (ReturnType<typeof fileRecord> & { language: string; missingCharacters: number[] })[] {
    // JSON and CSV carry codes and numbers, not catalogue labels: stored once, as `en` (the file row's language).
    return [
      fileRecord('json', 'application/json', contentJson),
      fileRecord(
        'csv',
        'text/csv; charset=utf-8',
        content.kind === 'project-quarterly-report' ? renderReportCsv(content) : renderPortfolioCsv(content),
      ),
    ].map((file) => ({ ...file, language: 'en', missingCharacters: [] }));
  }
}
