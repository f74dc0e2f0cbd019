import { Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type AuthUser, PolicyService } from '#libs/auth';
import { DomainException } from '#libs/common';
import { ProjectEntity, ReportEntity, type ReportScope } from '#libs/database';
import { LogframeReader } from '#libs/logframe';
import { quarterRange } from '#libs/calculations';
import { portfolioReportFingerprint, projectReportFingerprint } from './report-fingerprint.js';
import { ReportInputsRepository } from './report-inputs.repository.js';

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
 * matches an existing report of the same scope and quarter returns that report.
 */
@Injectable()
export class ReportRequestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly logframes: LogframeReader,
    private readonly inputs: ReportInputsRepository,
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
    return this.dataSource.transaction(async (manager) => {
      // One request at a time per scope, restriction and quarter: versions are numbered without races.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `report:${request.scopeType}:${request.scopeId}:${restrictedToUnitIds.join(',')}:${request.year}:${request.quarter}`,
      ]);
      let fingerprint: string;
      let settingsVersion: number;
      if (request.scopeType === 'project') {
        const project = await manager.getRepository(ProjectEntity).findOneBy({ id: request.scopeId });
        if (!project) throw DomainException.notFound('Project');
        const revision = await this.logframes.revisionInForce(project.id, manager);
        if (!revision) throw DomainException.notFound('Logframe of this project');
        const source = await this.inputs.projectSource(revision.id, request.year, request.quarter, manager);
        fingerprint = projectReportFingerprint(source, request.year, request.quarter);
        settingsVersion = source.settings.version;
      } else {
        const portfolio = await this.inputs.portfolioSources(
          request.scopeType,
          request.scopeId,
          request.year,
          request.quarter,
          manager,
          restrictedToUnitIds,
        );
        if (!portfolio) throw DomainException.notFound(`Report scope ${request.scopeType} '${request.scopeId}'`);
        fingerprint = portfolioReportFingerprint(
          { type: request.scopeType, id: request.scopeId },
          request.year,
          request.quarter,
          portfolio,
          restrictedToUnitIds,
        );
        settingsVersion = (await this.inputs.currentSettings(manager)).version;
      }
      const repo = manager.getRepository(ReportEntity);
      const key = {
        scopeType: request.scopeType,
        scopeId: request.scopeId,
        restrictedToUnitIds,
        year: request.year,
        quarter: request.quarter,
      };
      const existing = await repo
        .createQueryBuilder('r')
        .where('r.scope_type = :scopeType AND r.scope_id = :scopeId AND r.year = :year AND r.quarter = :quarter', key)
        .andWhere('r.restricted_to_unit_ids = CAST(:restrictedToUnitIds AS uuid[]) AND r.fingerprint = :fingerprint', {
          restrictedToUnitIds,
          fingerprint,
        })
        .getOne();
      if (existing) return { report: existing, created: false };
      const [{ next }] = await manager.query(
        `SELECT coalesce(max(version), 0) + 1 AS next FROM report
          WHERE scope_type = $1 AND scope_id = $2 AND year = $3 AND quarter = $4 AND restricted_to_unit_ids = $5::uuid[]`,
        [request.scopeType, request.scopeId, request.year, request.quarter, restrictedToUnitIds],
      );
      const range = quarterRange(request.year, request.quarter);
      const report = await repo.save(
        repo.create({
          ...key,
          fingerprint,
          version: next,
          status: 'requested',
          periodStart: range.start,
          periodEnd: range.end,
          thresholdsVersion: settingsVersion,
          requestedById: request.requestedById ?? null,
        }),
      );
      return { report, created: true };
    });
  }
}
