import { Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type AuthUser, PolicyService } from '#libs/auth';
import { DomainException } from '#libs/common';
import { type ReportEntity, type ReportScope, TransactionRunner } from '#libs/database';
import { quarterRange } from '#libs/calculations';
import { portfolioReportFingerprint, projectReportFingerprint } from './report-fingerprint.js';
import { ReportInputsRepository } from './report-inputs.repository.js';
import { type ReportKey, ReportRepository } from './report.repository.js';

/** A report request: the project, the calendar quarter (1–4) and who asks. */
export interface ProjectReportRequest {
  projectId: string;
  year: number;
  quarter: number;
  requestedById?: string | null;
}

/**
 * Records report requests as PostgreSQL rows (`requested`); the worker's relay enqueues them.
 * The request works while Redis is down. One report per content: a request whose fingerprint
 * matches an existing report of the same scope and quarter returns that report. The fingerprint comes
 * from the inputs' version stamps (one small read), never from the inputs themselves.
 */
@Injectable()
export class ReportRequestService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly inputs: ReportInputsRepository,
    private readonly reports: ReportRepository,
    /** Absent outside the API (scripts that request as the system); a request by a user needs it. */
    @Optional() private readonly policy?: PolicyService,
  ) {}

  /**
   * @returns the report row and whether it was created by this call
   * @throws DomainException not_found when the project does not exist or has no logframe
   */
  async requestProjectReport(request: ProjectReportRequest): Promise<{ report: ReportEntity; created: boolean }> {
    return this.requestReport({
      scopeType: 'project',
      scopeId: request.projectId,
      year: request.year,
      quarter: request.quarter,
      requestedById: request.requestedById,
    });
  }

  /**
   * A report of any scope: project, programme, donor, org unit or SDG target (DESIGN.md §6).
   * The fingerprint of a multi-project report combines each project's fingerprint. Asked by a user
   * (`requester`), the policy check comes first: project reports need `report.request` on the project;
   * multi-project reports are restricted to the requester's org units when these do not cover the scope.
   * @throws DomainException not_found when the scope does not exist or is outside the requester's reach (or a
   *   project has no logframe); forbidden when the requester's role may not request it
   */
  async requestReport(
    request: {
      scopeType: ReportScope;
      scopeId: string;
      year: number;
      quarter: number;
      requestedById?: string | null;
      /** Org units a multi-project report is restricted to (the policy's decision); empty or absent: the whole scope. */
      restrictedToUnitIds?: string[];
    },
    requester?: AuthUser,
  ): Promise<{ report: ReportEntity; created: boolean }> {
    let restriction = request.restrictedToUnitIds ?? [];
    if (requester && !this.policy) throw new Error('A request by a user needs the PolicyService');
    if (requester && request.scopeType === 'project')
      await this.policy!.authorizeProject(requester, 'report.request', request.scopeId);
    else if (requester)
      ({ restrictedToUnitIds: restriction } = await this.policy!.authorizeScopeRequest(
        requester,
        request.scopeType as Exclude<ReportScope, 'project'>,
        request.scopeId,
      ));
    const restrictedToUnitIds = [...new Set(restriction)].sort();
    if (request.scopeType === 'project' && restrictedToUnitIds.length)
      throw new Error('A project report is never restricted');
    const key: ReportKey = {
      scopeType: request.scopeType,
      scopeId: request.scopeId,
      restrictedToUnitIds,
      year: request.year,
      quarter: request.quarter,
    };
    return this.tx.run(async (manager) => {
      // One request at a time per scope, restriction and quarter: versions are numbered without races.
      await this.reports.lockScopeQuarter(key, manager);
      const { fingerprint, settingsVersion } = await this.fingerprint(key, manager);
      const existing = await this.reports.findByFingerprint(key, fingerprint, manager);
      if (existing) return { report: existing, created: false };
      const version = await this.reports.nextVersion(key, manager);
      const range = quarterRange(request.year, request.quarter);
      const report = await this.reports.insertRequested(
        {
          ...key,
          fingerprint,
          version,
          periodStart: range.start,
          periodEnd: range.end,
          thresholdsVersion: settingsVersion,
          requestedById: request.requestedById ?? null,
        },
        manager,
      );
      return { report, created: true };
    });
  }

  /**
   * The quarterly run's requests, as the system (no requester): the unrestricted report of each project
   * for the quarter, set-based in one transaction (the same locks, fingerprints and version numbering as
   * {@link requestReport}, in a constant number of statements whatever the number of projects).
   * @returns the projects whose report exists or was requested, and those that failed (no project, no logframe)
   */
  async requestProjectReports(
    projectIds: string[],
    year: number,
    quarter: number,
  ): Promise<{ requested: string[]; failed: { projectId: string; error: string }[] }> {
    const keys: ReportKey[] = projectIds.map((scopeId) => ({
      scopeType: 'project',
      scopeId,
      restrictedToUnitIds: [],
      year,
      quarter,
    }));
    return this.tx.run(async (manager) => {
      await this.reports.lockScopeQuarters(keys, manager);
      const stamps = await this.inputs.inputStamps(projectIds, year, quarter, manager);
      const failed: { projectId: string; error: string }[] = [];
      const wanted: { projectId: string; fingerprint: string; settingsVersion: number }[] = [];
      for (const projectId of projectIds) {
        const stamp = stamps.get(projectId);
        if (!stamp) failed.push({ projectId, error: 'Project not found' });
        else if (!stamp.revision) failed.push({ projectId, error: 'Logframe of this project not found' });
        else
          wanted.push({
            projectId,
            fingerprint: projectReportFingerprint(stamp, year, quarter),
            settingsVersion: stamp.settingsVersion,
          });
      }
      const { existing, nextVersion } = await this.reports.projectReportsOfQuarter(wanted, year, quarter, manager);
      const range = quarterRange(year, quarter);
      await this.reports.insertRequestedMany(
        wanted
          .filter((w) => !existing.has(w.projectId))
          .map((w) => ({
            scopeType: 'project' as const,
            scopeId: w.projectId,
            restrictedToUnitIds: [],
            year,
            quarter,
            fingerprint: w.fingerprint,
            version: nextVersion.get(w.projectId) ?? 1,
            periodStart: range.start,
            periodEnd: range.end,
            thresholdsVersion: w.settingsVersion,
            requestedById: null,
          })),
        manager,
      );
      return { requested: wanted.map((w) => w.projectId), failed };
    });
  }

  /**
   * The fingerprint of a scope's report for a quarter as the data stand (docs/RULES.md, "Report
   * fingerprint"), and the settings version in force. The builder computes it the same way inside its
   * snapshot ({@link ReportBuilderService}).
   * @throws DomainException not_found when the scope does not exist (or a project has no logframe)
   */
  async fingerprint(key: ReportKey, manager: EntityManager): Promise<{ fingerprint: string; settingsVersion: number }> {
    if (key.scopeType === 'project') {
      const stamps = (await this.inputs.inputStamps([key.scopeId], key.year, key.quarter, manager)).get(key.scopeId);
      if (!stamps) throw DomainException.notFound('Project');
      if (!stamps.revision) throw DomainException.notFound('Logframe of this project');
      return {
        fingerprint: projectReportFingerprint(stamps, key.year, key.quarter),
        settingsVersion: stamps.settingsVersion,
      };
    }
    const scope = await this.inputs.portfolioScope(key.scopeType, key.scopeId, manager, key.restrictedToUnitIds);
    if (!scope) throw DomainException.notFound(`Report scope ${key.scopeType} '${key.scopeId}'`);
    const stamps = await this.inputs.inputStamps(scope.projectIds, key.year, key.quarter, manager);
    const settingsVersion =
      stamps.values().next().value?.settingsVersion ?? (await this.inputs.currentSettings(manager)).version;
    return {
      fingerprint: portfolioReportFingerprint(
        { type: key.scopeType, id: key.scopeId },
        key.year,
        key.quarter,
        {
          name: scope.name,
          code: scope.code,
          title: scope.title,
          projects: [...stamps.values()],
          globalStamp: await this.inputs.globalStamp(manager),
        },
        key.restrictedToUnitIds,
      ),
      settingsVersion,
    };
  }
}
