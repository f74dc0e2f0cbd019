import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { IatiPublisherEntity, ProjectEntity } from '#libs/database';
import type { ExportActual, PublisherSettings } from './iati-export.types.js';

/** Filters of an IATI export; every one optional. */
export interface IatiExportFilter {
  projectId?: string;
  donorId?: string;
  /** This org unit and every unit below it. */
  orgUnitId?: string;
  programmeId?: string;
}

/** A candidate project of an export, with the revision in force if approved. */
export interface ExportCandidate {
  project: ProjectEntity;
  approvedRevisionId: string | null;
}

/** Reads and writes of the IATI export (repository layer: the only place its SQL lives). */
@Injectable()
export class IatiExportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The publisher settings row, or null before an admin sets them. */
  async publisher(): Promise<IatiPublisherEntity | null> {
    return this.dataSource.getRepository(IatiPublisherEntity).findOneBy({ id: 1 });
  }

  /** Creates or replaces the publisher settings (one row). */
  async savePublisher(settings: PublisherSettings, updatedById: string): Promise<IatiPublisherEntity> {
    await this.dataSource
      .getRepository(IatiPublisherEntity)
      .upsert({ id: 1, ...settings, updatedById }, { conflictPaths: ['id'] });
    return this.dataSource.getRepository(IatiPublisherEntity).findOneByOrFail({ id: 1 });
  }

  /**
   * Projects matching the filters within the caller's scope (`restrict`: the policy service's
   * `scopeProjects` on alias `p`), ordered by code, each with its latest approved revision.
   */
  async candidates(
    filter: IatiExportFilter,
    restrict: (qb: SelectQueryBuilder<ProjectEntity>) => SelectQueryBuilder<ProjectEntity>,
  ): Promise<ExportCandidate[]> {
    const qb = this.dataSource.getRepository(ProjectEntity).createQueryBuilder('p').where('TRUE');
    if (filter.projectId) qb.andWhere('p.id = :projectId', { projectId: filter.projectId });
    if (filter.programmeId) qb.andWhere('p.programme_id = :programmeId', { programmeId: filter.programmeId });
    if (filter.donorId)
      qb.andWhere('EXISTS (SELECT 1 FROM funding_agreement f WHERE f.project_id = p.id AND f.donor_id = :donorId)', {
        donorId: filter.donorId,
      });
    if (filter.orgUnitId)
      qb.andWhere(
        `p.org_unit_id IN (WITH RECURSIVE below(id) AS (SELECT CAST(:orgUnitId AS uuid) UNION SELECT o.id FROM org_unit o JOIN below b ON o.parent_id = b.id) SELECT id FROM below)`,
        { orgUnitId: filter.orgUnitId },
      );
    const projects = await restrict(qb).orderBy('p.code', 'ASC').getMany();
    if (projects.length === 0) return [];
    const rows: { project_id: string; id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (project_id) project_id, id FROM logframe_revision
        WHERE project_id = ANY($1::uuid[]) AND status = 'approved' ORDER BY project_id, number DESC`,
      [projects.map((p) => p.id)],
    );
    const approved = new Map(rows.map((r) => [r.project_id, r.id]));
    return projects.map((project) => ({ project, approvedRevisionId: approved.get(project.id) ?? null }));
  }

  /**
   * Resolves command-line filters given as codes or ids: a donor by id or IATI organisation ref,
   * an org unit and a programme by id or code.
   * @returns the ids, `null` for a filter that names nothing
   */
  async resolveFilter(codes: { donor?: string; orgUnit?: string; programme?: string }): Promise<{
    donorId?: string | null;
    orgUnitId?: string | null;
    programmeId?: string | null;
  }> {
    const one = async (sql: string, value?: string) => {
      if (value === undefined) return undefined;
      const [row]: { id: string }[] = await this.dataSource.query(sql, [value]);
      return row?.id ?? null;
    };
    return {
      donorId: await one(`SELECT id FROM donor WHERE id::text = $1 OR iati_org_ref = $1 LIMIT 1`, codes.donor),
      orgUnitId: await one(`SELECT id FROM org_unit WHERE id::text = $1 OR code = $1 LIMIT 1`, codes.orgUnit),
      programmeId: await one(`SELECT id FROM programme WHERE id::text = $1 OR code = $1 LIMIT 1`, codes.programme),
    };
  }

  /** Funding organisations of a project (participating-org role 1), by name. */
  async funders(projectId: string): Promise<{ ref: string | null; name: string }[]> {
    return this.dataSource.query(
      `SELECT d.iati_org_ref AS ref, d.name FROM funding_agreement f JOIN donor d ON d.id = f.donor_id
        WHERE f.project_id = $1 ORDER BY d.name, d.id`,
      [projectId],
    );
  }

  /**
   * Actuals of a project whose quarter (the one containing the period end) is validated, by
   * indicator stable id, with their disaggregations and the quarter's explanation of variance.
   * Evidence links only when marked public. Entered comments (internal) are not read.
   */
  async validatedActuals(
    projectId: string,
  ): Promise<{ actuals: Map<string, ExportActual[]>; lastValidated: Date | null }> {
    const rows: {
      id: string;
      series: string;
      period_start: string;
      period_end: string;
      value: string | null;
      text: string | null;
      evidence: string | null;
      explanation: string | null;
      disaggregations: { dimension: string; category: string; value: string | null }[] | null;
    }[] = await this.dataSource.query(
      `SELECT a.id, a.indicator_series_id AS series, a.period_start, a.period_end, a.value::text AS value, a.text,
              CASE WHEN a.evidence_public THEN a.evidence_url END AS evidence, ve.explanation,
              (SELECT json_agg(json_build_object('dimension', d.dimension, 'category', d.category, 'value', d.value::text)
                        ORDER BY d.dimension, d.category)
                 FROM actual_disaggregation d WHERE d.actual_id = a.id) AS disaggregations
         FROM actual a
         JOIN indicator_series s ON s.id = a.indicator_series_id
         JOIN progress_report pr ON pr.project_id = s.project_id AND pr.status = 'validated'
          AND pr.year = extract(year FROM a.period_end) AND pr.quarter = extract(quarter FROM a.period_end)
         LEFT JOIN variance_explanation ve ON ve.progress_report_id = pr.id AND ve.indicator_series_id = s.id
        WHERE s.project_id = $1 AND s.retired_at IS NULL
        ORDER BY a.period_start, a.period_end`,
      [projectId],
    );
    const actuals = new Map<string, ExportActual[]>();
    for (const r of rows) {
      const list = actuals.get(r.series) ?? [];
      list.push({
        periodStart: r.period_start,
        periodEnd: r.period_end,
        value: r.value,
        text: r.text,
        publicEvidenceUrl: r.evidence,
        disaggregations: r.disaggregations ?? [],
        varianceExplanation: r.explanation,
      });
      actuals.set(r.series, list);
    }
    const [last]: { at: Date | null }[] = await this.dataSource.query(
      `SELECT max(validated_at) AS at FROM progress_report WHERE project_id = $1 AND status = 'validated'`,
      [projectId],
    );
    return { actuals, lastValidated: last?.at ?? null };
  }

  /** Disaggregated period targets of a revision, by period target id. */
  async targetDisaggregations(
    revisionId: string,
  ): Promise<Map<string, { dimension: string; category: string; value: string | null }[]>> {
    const rows: { period_target_id: string; dimension: string; category: string; value: string | null }[] =
      await this.dataSource.query(
        `SELECT d.period_target_id, d.dimension, d.category, d.value::text AS value
           FROM period_target_disaggregation d JOIN period_target t ON t.id = d.period_target_id
           JOIN indicator i ON i.id = t.indicator_id WHERE i.revision_id = $1 ORDER BY d.dimension, d.category`,
        [revisionId],
      );
    const map = new Map<string, { dimension: string; category: string; value: string | null }[]>();
    for (const r of rows) {
      const list = map.get(r.period_target_id) ?? [];
      list.push({ dimension: r.dimension, category: r.category, value: r.value });
      map.set(r.period_target_id, list);
    }
    return map;
  }

  /**
   * Stores a project's generated iati-identifier at its first export; never changes a stored one.
   * @returns false when another project already holds that identifier
   */
  async assignIdentifier(projectId: string, identifier: string): Promise<boolean> {
    const [taken]: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM project WHERE iati_identifier = $1 AND id <> $2`,
      [identifier, projectId],
    );
    if (taken.n > 0) return false;
    await this.dataSource.query(`UPDATE project SET iati_identifier = $2 WHERE id = $1 AND iati_identifier IS NULL`, [
      projectId,
      identifier,
    ]);
    return true;
  }

  /** Whether another project holds `identifier`. */
  async identifierTaken(projectId: string, identifier: string): Promise<boolean> {
    const [row]: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM project WHERE iati_identifier = $1 AND id <> $2`,
      [identifier, projectId],
    );
    return row.n > 0;
  }

  /** Sets a project's publication choice (and, when given, language, DAC sector and public evidence). */
  async savePublication(
    projectId: string,
    values: {
      iatiPublish: boolean;
      iatiExclusionReason: string | null;
      language?: string | null;
      dacSectorCode?: string | null;
    },
    publicEvidenceActualIds?: string[],
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(ProjectEntity).update({ id: projectId }, values);
      if (publicEvidenceActualIds)
        await manager.query(
          `UPDATE actual a SET evidence_public = (a.id = ANY($2::uuid[]))
             FROM indicator_series s WHERE s.id = a.indicator_series_id AND s.project_id = $1`,
          [projectId, publicEvidenceActualIds],
        );
    });
  }
}
