import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { DomainException, ErrorCode } from '#libs/common';
import { OrgUnitEntity, type ProjectEntity, type ReportEntity, type ReportScope, type Role } from '#libs/database';
import type { AuthUser } from './auth-user.js';

/**
 * Actions on a project and the roles that may take them (DESIGN.md §1). A role only counts where
 * the caller's scope reaches the project: managers and focal points through the project's org unit
 * (or a unit above it), donors through a funding agreement, admins everywhere.
 */
export const PROJECT_ACTIONS = {
  'project.read': ['admin', 'project_manager', 'rbm_focal_point', 'donor'],
  'report.request': ['admin', 'project_manager', 'rbm_focal_point'],
  'report.read': ['admin', 'project_manager', 'rbm_focal_point', 'donor'],
  /** Edit the project record and its draft logframe (DESIGN.md §1: managers in scope). */
  'project.edit': ['project_manager'],
  /** Manage the project's funding agreements (admins manage donors; managers their projects' funding). */
  'funding.edit': ['admin', 'project_manager'],
  /** Submit the working copy for QA review, or open a new revision from an approved one. */
  'logframe.submit': ['project_manager'],
  /** Approve or return a submitted revision (four eyes is checked by the workflow). */
  'logframe.review': ['rbm_focal_point'],
  /** Read the audit trail and review comments. */
  'audit.read': ['admin', 'project_manager', 'rbm_focal_point'],
  /** Enter a quarter's actuals and submit the quarter. */
  'progress.enter': ['project_manager'],
  /** Validate, return or reopen a quarter (four eyes is checked by the workflow). */
  'progress.validate': ['rbm_focal_point'],
  /** Read a quarter's progress (donors: validated quarters only). */
  'progress.read': ['admin', 'project_manager', 'rbm_focal_point', 'donor'],
} as const satisfies Record<string, readonly Role[]>;

export type ProjectAction = keyof typeof PROJECT_ACTIONS;

const ACTION_TEXT: Record<ProjectAction, string> = {
  'project.read': 'read this project',
  'report.request': 'request reports for this project',
  'report.read': 'read reports of this project',
  'project.edit': 'edit this project or its logframe',
  'funding.edit': 'change the funding of this project',
  'logframe.submit': 'submit this logframe or open a new revision',
  'logframe.review': 'approve or return this logframe',
  'audit.read': 'read the audit trail of this project',
  'progress.enter': "enter or submit this project's quarterly progress",
  'progress.validate': "validate, return or reopen this project's quarterly progress",
  'progress.read': "read this project's quarterly progress",
};

/**
 * The one place that decides who reaches what (DESIGN.md §1). A resource outside the caller's
 * scope answers 404 (its existence is not revealed); an in-scope action the caller's roles may
 * not take answers 403. Lists are filtered with {@link PolicyService.scopeProjects}.
 */
@Injectable()
export class PolicyService {
  constructor(private readonly dataSource: DataSource) {}

  /** The roles through which `user` reaches a project (empty: out of scope). */
  rolesOnProject(user: AuthUser, project: Pick<ProjectEntity, 'orgUnitId'>, fundedBy: string[]): Role[] {
    const roles: Role[] = [];
    if (user.scope.isAdmin) roles.push('admin');
    if (user.scope.managerUnitIds.includes(project.orgUnitId)) roles.push('project_manager');
    if (user.scope.focalUnitIds.includes(project.orgUnitId)) roles.push('rbm_focal_point');
    if (fundedBy.some((donorId) => user.scope.donorIds.includes(donorId))) roles.push('donor');
    return roles;
  }

  /**
   * Authorises `action` on a project for `user`.
   * @returns the roles through which the caller acts (e.g. `['donor']`)
   * @throws DomainException not_found when the project does not exist or is outside the caller's scope
   * @throws DomainException forbidden when the caller reaches it but none of their roles may take `action`
   */
  async authorizeProject(
    user: AuthUser,
    action: ProjectAction,
    projectId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Role[]> {
    const [row]: { org_unit_id: string; donor_ids: string[] }[] = await manager.query(
      `SELECT p.org_unit_id, coalesce(array_agg(fa.donor_id) FILTER (WHERE fa.donor_id IS NOT NULL), '{}') AS donor_ids
         FROM project p LEFT JOIN funding_agreement fa ON fa.project_id = p.id WHERE p.id = $1 GROUP BY p.id`,
      [projectId],
    );
    const roles = row ? this.rolesOnProject(user, { orgUnitId: row.org_unit_id }, row.donor_ids) : [];
    if (roles.length === 0) throw DomainException.notFound('Project');
    const allowed = PROJECT_ACTIONS[action] as readonly Role[];
    const acting = roles.filter((r) => allowed.includes(r));
    if (acting.length === 0)
      throw DomainException.forbidden(
        ErrorCode.FORBIDDEN,
        `As ${roles.join(' and ')} here you may not ${ACTION_TEXT[action]}`,
      );
    return acting;
  }

  /**
   * Authorises reading a report: its project must be readable, and a donor (acting only as donor)
   * sees only reports that are not internal (approved logframe, validated data).
   * @throws DomainException not_found otherwise
   */
  async authorizeReport(
    user: AuthUser,
    report: Pick<ReportEntity, 'scopeType' | 'scopeId' | 'internal'>,
  ): Promise<void> {
    if (report.scopeType !== 'project') {
      const reach = await this.scopeReach(user, report.scopeType, report.scopeId);
      const donorReads =
        report.scopeType === 'donor' && user.scope.donorIds.includes(report.scopeId) && !report.internal;
      if (!reach.asStaff && !donorReads) throw DomainException.notFound('Report');
      return;
    }
    let roles: Role[];
    try {
      roles = await this.authorizeProject(user, 'report.read', report.scopeId);
    } catch {
      throw DomainException.notFound('Report');
    }
    if (report.internal && roles.every((r) => r === 'donor')) throw DomainException.notFound('Report');
  }

  /**
   * Authorises requesting a multi-project report (programme, donor, org unit, SDG target): admins
   * always; managers and focal points when the scope reaches into their org units (a donor funding,
   * or a programme holding, at least one project there; an org unit they cover); SDG target reports
   * span the whole portfolio and are for admins. Donors never request (403 by route).
   * @throws DomainException not_found when the scope is outside the caller's reach, forbidden for SDG targets
   */
  async authorizeScopeRequest(
    user: AuthUser,
    scopeType: Exclude<ReportScope, 'project'>,
    scopeId: string,
  ): Promise<void> {
    const reach = await this.scopeReach(user, scopeType, scopeId);
    if (!reach.exists || !reach.asStaff) {
      if (scopeType === 'sdg_target' && reach.exists)
        throw DomainException.forbidden(
          ErrorCode.FORBIDDEN,
          'SDG target reports span the whole portfolio: ask an admin',
        );
      throw DomainException.notFound(`Report scope ${scopeType}`);
    }
  }

  /** Whether a multi-project scope exists and whether the caller reaches it as staff (admin, or manager/focal point in scope). */
  private async scopeReach(
    user: AuthUser,
    scopeType: ReportScope,
    scopeId: string,
  ): Promise<{ exists: boolean; asStaff: boolean }> {
    const units = [...new Set([...user.scope.managerUnitIds, ...user.scope.focalUnitIds])];
    const queries: Record<string, string> = {
      donor: `SELECT EXISTS (SELECT 1 FROM donor WHERE id::text = $1) AS exists, EXISTS (SELECT 1 FROM funding_agreement fa JOIN project p ON p.id = fa.project_id WHERE fa.donor_id::text = $1 AND p.org_unit_id = ANY($2::uuid[])) AS reach`,
      programme: `SELECT EXISTS (SELECT 1 FROM programme WHERE id::text = $1) AS exists, EXISTS (SELECT 1 FROM programme g WHERE g.id::text = $1 AND (g.org_unit_id = ANY($2::uuid[]) OR EXISTS (SELECT 1 FROM project p WHERE p.programme_id = g.id AND p.org_unit_id = ANY($2::uuid[])))) AS reach`,
      org_unit: `SELECT EXISTS (SELECT 1 FROM org_unit WHERE id::text = $1) AS exists, EXISTS (SELECT 1 FROM org_unit WHERE id::text = $1 AND id = ANY($2::uuid[])) AS reach`,
      sdg_target: `SELECT EXISTS (SELECT 1 FROM sdg_target WHERE code = $1) AS exists, false AS reach`,
      project: `SELECT EXISTS (SELECT 1 FROM project WHERE id::text = $1) AS exists, false AS reach`,
    };
    const [row] = await this.dataSource.query(
      queries[scopeType],
      scopeType === 'sdg_target' || scopeType === 'project' ? [scopeId] : [scopeId, units],
    );
    return { exists: row.exists, asStaff: row.exists && (user.scope.isAdmin || row.reach) };
  }

  /**
   * Restricts a query on projects (alias `alias`) to the caller's scope: org units covered as
   * manager or focal point, projects funded by the caller's donors, everything for admins.
   */
  scopeProjects<T extends object>(qb: SelectQueryBuilder<T>, user: AuthUser, alias = 'p'): SelectQueryBuilder<T> {
    if (user.scope.isAdmin) return qb;
    const units = [...new Set([...user.scope.managerUnitIds, ...user.scope.focalUnitIds])];
    return qb.andWhere(
      `(${alias}.org_unit_id = ANY(:scopeUnits) OR EXISTS (SELECT 1 FROM funding_agreement fa WHERE fa.project_id = ${alias}.id AND fa.donor_id = ANY(:scopeDonors)))`,
      { scopeUnits: units, scopeDonors: user.scope.donorIds },
    );
  }

  /**
   * Restricts a query on reports (alias `alias`) to the caller's scope: project reports of projects
   * reached as manager or focal point, and, for donors, reports of funded projects that are not
   * internal; donor reports of the caller's donor organisation (not internal) and, for staff, donor,
   * programme and org unit reports reaching their org units. SDG target reports: admins.
   */
  scopeReports<T extends object>(qb: SelectQueryBuilder<T>, user: AuthUser, alias = 'r'): SelectQueryBuilder<T> {
    if (user.scope.isAdmin) return qb;
    const units = [...new Set([...user.scope.managerUnitIds, ...user.scope.focalUnitIds])];
    return qb.andWhere(
      `((${alias}.scope_type = 'project' AND (
         EXISTS (SELECT 1 FROM project sp WHERE sp.id::text = ${alias}.scope_id AND sp.org_unit_id = ANY(:scopeUnits))
         OR (${alias}.internal = false AND EXISTS (SELECT 1 FROM funding_agreement sfa WHERE sfa.project_id::text = ${alias}.scope_id AND sfa.donor_id = ANY(:scopeDonors)))))
       OR (${alias}.scope_type = 'donor' AND (
         (${alias}.internal = false AND ${alias}.scope_id = ANY(CAST(:scopeDonors AS text[])))
         OR EXISTS (SELECT 1 FROM funding_agreement sfa JOIN project sp ON sp.id = sfa.project_id WHERE sfa.donor_id::text = ${alias}.scope_id AND sp.org_unit_id = ANY(:scopeUnits))))
       OR (${alias}.scope_type = 'programme' AND EXISTS (SELECT 1 FROM programme sg WHERE sg.id::text = ${alias}.scope_id AND (sg.org_unit_id = ANY(:scopeUnits) OR EXISTS (SELECT 1 FROM project sp WHERE sp.programme_id = sg.id AND sp.org_unit_id = ANY(:scopeUnits)))))
       OR (${alias}.scope_type = 'org_unit' AND ${alias}.scope_id = ANY(CAST(:scopeUnits AS text[]))))`,
      { scopeUnits: units, scopeDonors: user.scope.donorIds },
    );
  }

  /**
   * The org unit a manager imports into: must be one they manage (admins: any).
   * @throws DomainException not_found when the unit does not exist or is outside the caller's scope
   * @throws DomainException forbidden when the caller is not a manager there
   */
  async authorizeImportInto(user: AuthUser, orgUnitCode: string): Promise<OrgUnitEntity> {
    const unit = await this.dataSource.getRepository(OrgUnitEntity).findOneBy({ code: orgUnitCode });
    const reach =
      unit && (user.scope.isAdmin || [...user.scope.managerUnitIds, ...user.scope.focalUnitIds].includes(unit.id));
    if (!unit || !reach) throw DomainException.notFound(`Org unit '${orgUnitCode}'`);
    if (!user.scope.isAdmin && !user.scope.managerUnitIds.includes(unit.id))
      throw DomainException.forbidden(
        ErrorCode.FORBIDDEN,
        'Only a project manager of this office (or an admin) may import into it',
      );
    return unit;
  }
}
