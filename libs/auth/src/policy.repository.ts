import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { OrgUnitEntity, type ReportScope, type Role } from '#libs/database';

/** One role assignment of a user with the org units it covers (its unit and every unit below it). */
export interface AssignmentCoverage {
  id: string;
  role: Role;
  orgUnitId: string | null;
  donorId: string | null;
  /** The assignment's org unit and its descendants; empty for global and donor assignments. */
  unitIds: string[];
}

/** Who a project belongs to, for the policy: its org unit and the donors funding it. */
export interface ProjectReach {
  orgUnitId: string;
  donorIds: string[];
}

/** Whether a multi-project report scope exists, whether given org units reach it and cover all its projects. */
export interface ScopeReachRow {
  exists: boolean;
  reach: boolean;
  covers: boolean;
}

interface ProjectReachRow {
  org_unit_id: string;
  donor_ids: string[];
}

const toProjectReach = (row: ProjectReachRow): ProjectReach => ({
  orgUnitId: row.org_unit_id,
  donorIds: row.donor_ids,
});

interface ScopeReachQueryRow {
  exists: boolean;
  reach: boolean;
  covers: boolean;
}

const toScopeReach = (row: ScopeReachQueryRow): ScopeReachRow => ({
  exists: row.exists === true,
  reach: row.reach === true,
  covers: row.covers === true,
});

/** Per report scope type: does the scope exist ($1), do org units $2 reach it, do they cover every project of it. */
const SCOPE_REACH_QUERIES: Record<ReportScope, string> = {
  donor: `SELECT EXISTS (SELECT 1 FROM donor WHERE id::text = $1) AS exists,
                 EXISTS (SELECT 1 FROM funding_agreement fa JOIN project p ON p.id = fa.project_id WHERE fa.donor_id::text = $1 AND p.org_unit_id = ANY($2::uuid[])) AS reach,
                 NOT EXISTS (SELECT 1 FROM funding_agreement fa JOIN project p ON p.id = fa.project_id WHERE fa.donor_id::text = $1 AND NOT (p.org_unit_id = ANY($2::uuid[]))) AS covers`,
  programme: `SELECT EXISTS (SELECT 1 FROM programme WHERE id::text = $1) AS exists,
                     EXISTS (SELECT 1 FROM programme g WHERE g.id::text = $1 AND (g.org_unit_id = ANY($2::uuid[]) OR EXISTS (SELECT 1 FROM project p WHERE p.programme_id = g.id AND p.org_unit_id = ANY($2::uuid[])))) AS reach,
                     NOT EXISTS (SELECT 1 FROM project p WHERE p.programme_id::text = $1 AND NOT (p.org_unit_id = ANY($2::uuid[]))) AS covers`,
  org_unit: `SELECT EXISTS (SELECT 1 FROM org_unit WHERE id::text = $1) AS exists, EXISTS (SELECT 1 FROM org_unit WHERE id::text = $1 AND id = ANY($2::uuid[])) AS reach, true AS covers`,
  sdg_target: `SELECT EXISTS (SELECT 1 FROM sdg_target WHERE code = $1) AS exists, false AS reach, false AS covers`,
  project: `SELECT EXISTS (SELECT 1 FROM project WHERE id::text = $1) AS exists, false AS reach, false AS covers`,
};

/**
 * The reads behind the policy service (DESIGN.md §1; a user's assignments with the org units they cover
 * are read with the session, AuthSessionRepository.liveCaller): a project's org unit and funders, the org units above a set of units, and whether a report
 * scope is reached and covered by a set of units.
 */
@Injectable()
export class PolicyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A project's org unit and the donors funding it, or null when the project does not exist. */
  async projectReach(
    projectId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProjectReach | null> {
    const rows: ProjectReachRow[] = await manager.query(
      `SELECT p.org_unit_id, coalesce(array_agg(fa.donor_id) FILTER (WHERE fa.donor_id IS NOT NULL), '{}') AS donor_ids
         FROM project p LEFT JOIN funding_agreement fa ON fa.project_id = p.id WHERE p.id = $1 GROUP BY p.id`,
      [projectId],
    );
    return rows.length ? toProjectReach(rows[0]) : null;
  }

  /** The org units `unitIds` and every unit above them, sorted. */
  async unitsAndAncestors(unitIds: string[], manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `WITH RECURSIVE up(id, parent_id) AS (
         SELECT id, parent_id FROM org_unit WHERE id = ANY($1::uuid[])
         UNION
         SELECT o.id, o.parent_id FROM org_unit o JOIN up ON o.id = up.parent_id
       ) SELECT id FROM up`,
      [unitIds],
    );
    return rows.map((r) => String(r.id)).sort();
  }

  /**
   * Whether the report scope (`scopeType`, `scopeId`) exists, whether the org units `unitIds` reach it
   * (a project there, or the scope placed there) and whether they cover every project of it. SDG target
   * and project scopes are never reached this way.
   */
  async scopeReach(
    scopeType: ReportScope,
    scopeId: string,
    unitIds: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ScopeReachRow> {
    const rows: ScopeReachQueryRow[] = await manager.query(
      SCOPE_REACH_QUERIES[scopeType],
      scopeType === 'sdg_target' || scopeType === 'project' ? [scopeId] : [scopeId, unitIds],
    );
    return toScopeReach(rows[0]);
  }

  /** The org unit with this code, or null. */
  orgUnitByCode(code: string, manager: EntityManager = this.dataSource.manager): Promise<OrgUnitEntity | null> {
    return manager.getRepository(OrgUnitEntity).findOneBy({ code });
  }
}
