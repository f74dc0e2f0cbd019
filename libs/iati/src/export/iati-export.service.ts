import { Injectable } from '@nestjs/common';
import { type AuthUser, PolicyService } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import type { IatiPublisherEntity, ProjectEntity } from '#libs/database';
import { LogframeReader } from '#libs/logframe';
import { isDacSectorCode } from './dac-sectors.js';
import { writeIatiActivity } from './iati-activity-writer.js';
import { type IatiExportFilter, IatiExportRepository } from './iati-export.repository.js';
import type { IatiExportReport, PublisherSettings } from './iati-export.types.js';

/** Options of an export run. */
export interface IatiExportOptions {
  /** Include projects imported from another publisher (tests; they are skipped otherwise). */
  includeOtherPublishers?: boolean;
  /** The generation instant (default now): `@generated-datetime` and the activity status day. */
  generatedAt?: Date;
  /** Dry run: nothing is stored (no identifier is generated); used by the preview and the report. */
  dryRun?: boolean;
}

/** The publication choice of a project (`PUT /projects/:id/iati-publication`). */
export interface IatiPublicationInput {
  publish: boolean;
  /** Required when `publish` is false (why the project is kept out, e.g. sensitive). */
  exclusionReason?: string | null;
  /** ISO 639-1 language of entry; null: the publisher's default. */
  language?: string | null;
  /** DAC 5-digit purpose code (IATI Sector vocabulary 1). */
  dacSectorCode?: string | null;
  /** Actuals whose evidence link may be published; the project's other evidence links become private. */
  publicEvidenceActualIds?: string[];
}

const ISO_DATETIME = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * IATI 2.03 export (issue 16; rules in docs/RULES.md, "IATI 2.03 export"): the approved logframes
 * and validated results of the projects chosen for publication, one `<iati-activity>` each,
 * written in turn as they are built (streaming). Services start with the policy check.
 */
@Injectable()
export class IatiExportService {
  constructor(
    private readonly repository: IatiExportRepository,
    private readonly reader: LogframeReader,
    private readonly policy: PolicyService,
  ) {}

  /** The publisher settings, or null before they are set. */
  async settings(): Promise<IatiPublisherEntity | null> {
    return this.repository.publisher();
  }

  /**
   * Sets the publisher settings (admins).
   * @throws DomainException forbidden for non-admins; unprocessable when the identifier is not usable as a prefix
   */
  async saveSettings(user: AuthUser, settings: PublisherSettings): Promise<IatiPublisherEntity> {
    if (!user.scope.isAdmin)
      throw DomainException.forbidden(ErrorCode.FORBIDDEN, 'Only admins set the IATI publisher settings');
    return this.repository.savePublisher(settings, user.id);
  }

  /**
   * Sets a project's publication choice (managers of the project and admins).
   * @throws DomainException not_found outside scope, forbidden for other roles, unprocessable without a reason when off
   */
  async setPublication(user: AuthUser, projectId: string, input: IatiPublicationInput): Promise<void> {
    await this.policy.authorizeProject(user, 'iati.publish', projectId);
    const reason = input.exclusionReason?.trim() || null;
    if (!input.publish && !reason)
      throw DomainException.unprocessable(
        ErrorCode.REASON_REQUIRED,
        'A project kept out of IATI needs an exclusion reason',
        [
          {
            path: 'exclusionReason',
            code: 'required',
            params: { when: 'publish is false' },
            message: 'is required when publish is false',
          },
        ],
      );
    if (input.dacSectorCode && !isDacSectorCode(input.dacSectorCode))
      throw DomainException.unprocessable(
        ErrorCode.VALUE_OUT_OF_RANGE,
        `${input.dacSectorCode} is not a DAC 5-digit sector code`,
        [
          {
            path: 'dacSectorCode',
            code: 'not_in_list',
            params: { list: 'IATI Sector codelist (vocabulary 1)' },
            message: 'is not an active code of the IATI Sector codelist (vocabulary 1)',
          },
        ],
      );
    await this.repository.savePublication(
      projectId,
      {
        iatiPublish: input.publish,
        iatiExclusionReason: input.publish ? null : reason,
        ...(input.language !== undefined ? { language: input.language } : {}),
        ...(input.dacSectorCode !== undefined ? { dacSectorCode: input.dacSectorCode } : {}),
      },
      input.publicEvidenceActualIds,
    );
  }

  /**
   * What would be public for one project: its publication choice, the identifier it has or would
   * get, the export report and the exact `<iati-activity>` (nothing is stored).
   * @throws DomainException not_found outside scope; unprocessable when the publisher settings are missing
   */
  async preview(
    user: AuthUser,
    projectId: string,
    options: IatiExportOptions = {},
  ): Promise<{ publish: boolean; exclusionReason: string | null; report: IatiExportReport; xml: string | null }> {
    await this.policy.authorizeProject(user, 'iati.preview', projectId);
    let xml = '';
    const report = await this.run(user, { projectId }, { ...options, dryRun: true, previewUnpublished: true }, (c) => {
      xml += c;
    });
    const candidate = (await this.repository.candidates({ projectId }, (qb) => qb))[0];
    return {
      publish: candidate.project.iatiPublish,
      exclusionReason: candidate.project.iatiExclusionReason,
      report,
      xml: xml === '' ? null : xml,
    };
  }

  /**
   * Exports one project (`GET /projects/:id/iati.xml`).
   * @throws DomainException not_found outside scope (or for a donor, a project it does not fund)
   */
  async exportProject(
    user: AuthUser,
    projectId: string,
    options: IatiExportOptions,
    write: (chunk: string) => void | Promise<void>,
  ): Promise<IatiExportReport> {
    await this.policy.authorizeProject(user, 'iati.export', projectId);
    return this.run(user, { projectId }, options, write);
  }

  /**
   * Exports every project of the caller's scope matching the filters (`GET /iati/activities.xml`,
   * `npm run export:iati`). `write` receives the document piece by piece: the header just before
   * the first activity, each activity as soon as it is built, the footer last; nothing is written
   * when no activity qualifies (IATI requires at least one), and the report says why.
   * @throws DomainException unprocessable when the publisher settings are missing
   */
  async exportActivities(
    user: AuthUser | null,
    filter: Omit<IatiExportFilter, 'projectId'>,
    options: IatiExportOptions,
    write: (chunk: string) => void | Promise<void>,
  ): Promise<IatiExportReport> {
    return this.run(user, filter, options, write);
  }

  /**
   * The command line's export (`npm run export:iati`): as the system (every project), filters given
   * as codes or ids.
   * @throws DomainException not_found when a filter names nothing
   */
  async exportFromCommandLine(
    codes: { donor?: string; orgUnit?: string; programme?: string },
    options: IatiExportOptions,
    write: (chunk: string) => void | Promise<void>,
  ): Promise<IatiExportReport> {
    const ids = await this.repository.resolveFilter(codes);
    for (const [key, value] of Object.entries(ids))
      if (value === null)
        throw DomainException.notFound(
          `${key.replace(/Id$/, '')} '${codes[key.replace(/Id$/, '') as keyof typeof codes]}'`,
        );
    return this.run(null, ids as Omit<IatiExportFilter, 'projectId'>, options, write);
  }

  private async run(
    user: AuthUser | null,
    filter: IatiExportFilter,
    options: IatiExportOptions & { previewUnpublished?: boolean },
    write: (chunk: string) => void | Promise<void>,
  ): Promise<IatiExportReport> {
    const settings = await this.repository.publisher();
    if (!settings)
      throw DomainException.unprocessable(
        ErrorCode.REFERENCE_MISSING,
        'Set the IATI publisher settings (organisation identifier and type) before any export',
        [
          {
            path: 'iati.settings',
            code: 'required',
            params: {},
            message: 'are required before any export (PUT /iati/settings)',
          },
        ],
      );
    const generatedAt = options.generatedAt ?? new Date();
    const report: IatiExportReport = {
      generatedAt: ISO_DATETIME(generatedAt),
      activities: [],
      skipped: [],
      errors: [],
      warnings: [],
    };
    const candidates = await this.repository.candidates(filter, (qb) =>
      user ? this.policy.scopeProjects(qb, user) : qb,
    );
    let started = false;
    for (const { project, approvedRevisionId } of candidates) {
      const skip = (reason: IatiExportReport['skipped'][number]['reason'], message: string) =>
        report.skipped.push({ projectId: project.id, code: project.code, reason, message });
      if (!project.iatiPublish && !options.previewUnpublished) {
        skip('not_published', project.iatiExclusionReason ?? 'Not chosen for publication');
        continue;
      }
      if (this.fromOtherPublisher(project, settings) && !options.includeOtherPublishers) {
        skip(
          'other_publisher',
          `Imported from another publisher (${project.iatiIdentifier}): not exported under ${settings.organisationIdentifier}`,
        );
        continue;
      }
      if (!approvedRevisionId) {
        skip('no_approved_revision', 'The logframe has no approved revision');
        continue;
      }
      const identifier = project.iatiIdentifier ?? `${settings.organisationIdentifier}-${project.code}`;
      const [tree] = await this.reader.loadTrees([approvedRevisionId]);
      const { actuals, lastValidated } = await this.repository.validatedActuals(project.id);
      const written = writeIatiActivity(
        {
          iatiIdentifier: identifier,
          tree,
          funders: await this.repository.funders(project.id),
          actuals,
          targetDisaggregations: await this.repository.targetDisaggregations(approvedRevisionId),
          lastUpdated: [project.updatedAt, tree.revision.approvedAt, lastValidated]
            .filter((d): d is Date => d instanceof Date)
            .reduce((a, b) => (a > b ? a : b)),
        },
        settings,
        generatedAt,
      );
      if (!project.iatiIdentifier && (await this.repository.identifierTaken(project.id, identifier)))
        written.issues.push({
          severity: 'error',
          code: 'identifier_taken',
          path: `iati-activity[${identifier}]/iati-identifier`,
          message: `Another project already holds the identifier ${identifier}.`,
        });
      for (const issue of written.issues) (issue.severity === 'error' ? report.errors : report.warnings).push(issue);
      if (written.xml === null || written.issues.some((i) => i.severity === 'error')) {
        skip('errors', 'Errors keep the activity out of the file (see errors)');
        continue;
      }
      if (!project.iatiIdentifier && !options.dryRun) await this.repository.assignIdentifier(project.id, identifier);
      if (!started) {
        started = true;
        await write(
          `<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" generated-datetime="${report.generatedAt}">\n`,
        );
      }
      await write(written.xml + '\n');
      report.activities.push({ projectId: project.id, iatiIdentifier: identifier });
    }
    if (started) await write('</iati-activities>\n');
    return report;
  }

  /** Imported projects whose identifier does not start with our organisation identifier. */
  private fromOtherPublisher(project: ProjectEntity, settings: PublisherSettings): boolean {
    return (
      project.provenance === 'imported' &&
      !(project.iatiIdentifier ?? '').startsWith(`${settings.organisationIdentifier}-`)
    );
  }
}
