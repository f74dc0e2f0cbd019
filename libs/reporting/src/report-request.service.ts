import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainException } from '#libs/common';
import { ProjectEntity, ReportEntity } from '#libs/database';
import { LogframeReader } from '#libs/logframe';
import { quarterRange } from './calculations/index.js';
import { projectReportFingerprint } from './report-fingerprint.js';
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
  ) {}

  /**
   * @returns the report row and whether it was created by this call
   * @throws DomainException not_found when the project does not exist or has no logframe
   */
  async requestProjectReport(request: ProjectReportRequest): Promise<{ report: ReportEntity; created: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const project = await manager.getRepository(ProjectEntity).findOneBy({ id: request.projectId });
      if (!project) throw DomainException.notFound('Project');
      const revision = await this.logframes.revisionInForce(project.id, manager);
      if (!revision) throw DomainException.notFound('Logframe of this project');
      // One request at a time per scope and quarter: versions are numbered without races.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`report:project:${project.id}:${request.year}:${request.quarter}`]);
      const source = await this.inputs.projectSource(revision.id, request.year, request.quarter, manager);
      const fingerprint = projectReportFingerprint(source, request.year, request.quarter);
      const repo = manager.getRepository(ReportEntity);
      const key = { scopeType: 'project' as const, scopeId: project.id, year: request.year, quarter: request.quarter };
      const existing = await repo.findOneBy({ ...key, fingerprint });
      if (existing) return { report: existing, created: false };
      const [{ next }] = await manager.query(
        `SELECT coalesce(max(version), 0) + 1 AS next FROM report WHERE scope_type = 'project' AND scope_id = $1 AND year = $2 AND quarter = $3`,
        [project.id, request.year, request.quarter],
      );
      const range = quarterRange(request.year, request.quarter);
      const report = await repo.save(
        repo.create({ ...key, fingerprint, version: next, status: 'requested', periodStart: range.start, periodEnd: range.end, thresholdsVersion: source.settings.version, requestedById: request.requestedById ?? null }),
      );
      return { report, created: true };
    });
  }
}
