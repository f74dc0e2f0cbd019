import { Injectable } from '@nestjs/common';
import { type AuthUser, PolicyService } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import type { ReportEntity, ReportFileEntity, ReportFormat, ReportScope } from '#libs/database';
import type { ReportLanguage } from './labels.js';
import { ReportFileService } from './report-file.service.js';
import { slug } from './report-inputs.repository.js';
import { ReportReadRepository } from './report-read.repository.js';
import { missingCharactersText } from './render/index.js';

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

/** A report with the code and title of its scope. */
export interface ReportWithScope {
  report: ReportEntity;
  scope: ReportScopeLabel;
}

/**
 * A flag of a report beyond its content's: `missing_characters`, characters no bundled font covers in a
 * stored file (drawn there as visible boxes), as code points and as `U+E000` text.
 */
export interface ReportFileFlag {
  code: 'missing_characters';
  format: ReportFormat;
  language: string;
  codePoints: number[];
  text: string;
}

/** A file to download: its stored row, its download name and its language. */
export interface ReportDownload {
  report: ReportEntity;
  file: ReportFileEntity;
  fileName: string;
  lang: ReportLanguage;
}

/**
 * Reads reports and their files for a caller. Each method starts with the policy check (PolicyService:
 * 404 outside the caller's reach); lists are filtered in SQL with the policy's scope predicate.
 */
@Injectable()
export class ReportReadService {
  constructor(
    private readonly reports: ReportReadRepository,
    private readonly files: ReportFileService,
    private readonly policy: PolicyService,
  ) {}

  /**
   * A report the caller may read, with its scope's code and title and its file flags.
   * @throws DomainException not_found when the report does not exist or is outside the caller's reach
   */
  async get(user: AuthUser, reportId: string): Promise<ReportWithScope & { flags: ReportFileFlag[] }> {
    const report = await this.authorized(user, reportId);
    const [scope] = await this.withScopes([report]);
    const flags = (await this.files.missingCharacters(report.id)).map((row) => ({
      code: 'missing_characters' as const,
      format: row.format,
      language: row.language,
      codePoints: row.missingCharacters,
      text: missingCharactersText(row.missingCharacters),
    }));
    return { ...scope, flags };
  }

  /** Reports of a scope the caller may read, newest quarter and version first (at most 500), without content. */
  async list(user: AuthUser, filter: { scopeType?: ReportScope; scopeId?: string }): Promise<ReportWithScope[]> {
    const reports = await this.reports.list(filter, (qb) => this.policy.scopeReports(qb, user));
    return this.withScopes(reports);
  }

  /**
   * A file of a completed report the caller may read: JSON and CSV as stored at build; XLSX and PDF in
   * `lang`, as stored, rendered first on their first download in that language (one render per report,
   * format and language).
   * @throws DomainException not_found when the report is missing or out of reach; conflict when it is not
   *   completed yet; unavailable when an XLSX or PDF render runs out of time or memory
   */
  async download(
    user: AuthUser,
    reportId: string,
    format: ReportFormat,
    lang: ReportLanguage,
  ): Promise<ReportDownload> {
    const report = await this.authorized(user, reportId);
    if (report.status !== 'completed')
      throw DomainException.conflict(
        ErrorCode.INVALID_STATE,
        `Report is ${report.status}; files exist once it is completed`,
        [],
        { status: report.status },
      );
    const file =
      format === 'xlsx' || format === 'pdf'
        ? await this.files.fileOf(report, format, lang)
        : await this.files.storedAtBuild(report.id, format);
    if (!file) throw DomainException.notFound(`The ${format.toUpperCase()} file of this report`);
    const [{ scope }] = await this.withScopes([report]);
    const fileLang = format === 'xlsx' || format === 'pdf' ? lang : 'en';
    return { report, file, fileName: reportFileName(report, scope, format), lang: fileLang };
  }

  /**
   * The report, once the policy lets the caller read it.
   * @throws DomainException not_found when it does not exist or is outside the caller's reach
   */
  private async authorized(user: AuthUser, reportId: string): Promise<ReportEntity> {
    const report = await this.reports.findById(reportId);
    if (!report) throw DomainException.notFound('Report');
    await this.policy.authorizeReport(user, report);
    return report;
  }

  /**
   * Each report with the code and title of its scope (one query per scope type present). A scope that
   * no longer exists keeps its id as code.
   */
  private async withScopes(reports: ReportEntity[]): Promise<ReportWithScope[]> {
    const found = new Map<string, ReportScopeLabel>();
    for (const type of [...new Set(reports.map((r) => r.scopeType))]) {
      const ids = [...new Set(reports.filter((r) => r.scopeType === type).map((r) => r.scopeId))];
      for (const row of await this.reports.scopeLabels(type, ids))
        found.set(`${type}:${row.id}`, { code: row.code ?? slug(row.title), title: row.title });
    }
    return reports.map((report) => ({
      report,
      scope: found.get(`${report.scopeType}:${report.scopeId}`) ?? { code: report.scopeId, title: report.scopeId },
    }));
  }
}
