import { Injectable } from '@nestjs/common';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { DomainException, ErrorCode } from '#libs/common';
import type { OrgUnitEntity, ProjectEntity, ReportEntity, ReportScope, Role } from '#libs/database';
import type { AuthUser } from './auth-user.js';
import { PolicyRepository, type ProjectReach } from './policy.repository.js';

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
  /** Export the project as IATI 2.03 (donors: projects they fund; only published, approved, validated content). */
  'iati.export': ['admin', 'project_manager', 'rbm_focal_point', 'donor'],
  /** Preview what the IATI export would make public. */
  'iati.preview': ['admin', 'project_manager', 'rbm_focal_point'],
  /** Choose whether the project is published to IATI (with an exclusion reason when not). */
  'iati.publish': ['admin', 'project_manager'],
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
  'iati.export': 'export this project to IATI',
  'iati.preview': 'preview the IATI export of this project',
  'iati.publish': 'choose whether this project is published to IATI',
};

/**
 * The one place that decides who reaches what (DESIGN.md §1). A resource outside the caller's
 * scope answers 404 (its existence is not revealed); an in-scope action the caller's roles may
 * not take answers 403. Lists are filtered with {@link PolicyService.scopeProjects}.
 */
@Injectable()
export class PolicyService {
  constructor(private readonly repository: PolicyRepository) {}

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
    manager?: EntityManager,
  ): Promise<Role[]> {
    return this.authorizeReach(user, action, await this.repository.projectReach(projectId, manager));
  }

  /**
   * {@link authorizeProject} on a project's reach the caller has read already (with other data of the
   * same statement, e.g. LogframeReader.readHead).
   * @param reach the project's org unit and funders; null when the project does not exist
   * @returns the roles through which the caller acts
   * @throws DomainException not_found (out of scope or no such project), forbidden (as authorizeProject)
   */
  authorizeReach(user: AuthUser, action: ProjectAction, reach: ProjectReach | null): Role[] {
    const roles = reach ? this.rolesOnProject(user, { orgUnitId: reach.orgUnitId }, reach.donorIds) : [];
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
   * Authorises reading a report. Project reports: the project must be readable, and a donor (acting
   * only as donor) sees only reports that are not internal. Multi-project reports (docs/RULES.md
   * "Report reach"): admins; the scope's donor users (not internal); for a report restricted to some
   * org units, staff whose scope holds every one of them; for an unrestricted one, staff whose scope
   * covers every project of the scope.
   * @throws DomainException not_found otherwise
   */
  async authorizeReport(
    user: AuthUser,
    report: Pick<ReportEntity, 'scopeType' | 'scopeId' | 'internal' | 'restrictedToUnitIds'>,
  ): Promise<void> {
    if (report.scopeType !== 'project') {
      if (user.scope.isAdmin) return;
      if (report.scopeType === 'donor' && user.scope.donorIds.includes(report.scopeId) && !report.internal) return;
      const restriction = report.restrictedToUnitIds ?? [];
      if (restriction.length > 0) {
        const units = new Set(this.staffUnits(user));
        if (!restriction.every((id) => units.has(id))) throw DomainException.notFound('Report');
        return;
      }
      const reach = await this.scopeReach(user, report.scopeType, report.scopeId);
      if (!reach.asStaff || !reach.covers) throw DomainException.notFound('Report');
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
   * Authorises requesting a multi-project report (programme, donor, org unit, SDG target) and decides
   * its restriction: admins always, for the whole scope; managers and focal points when the scope
   * reaches into their org units (a donor funding, or a programme holding, at least one project
   * there, or placed there; an org unit they cover). When their scope does not cover every project
   * of the scope, the report is restricted to their org units (their manager and focal point
   * assignments) and shows only the projects there. SDG target reports span the whole portfolio and
   * are for admins. Donors never request (403 by route).
   * @returns the org unit ids the report is restricted to (sorted; empty: the whole scope)
   * @throws DomainException not_found when the scope is outside the caller's reach, forbidden for SDG targets
   */
  async authorizeScopeRequest(
    user: AuthUser,
    scopeType: Exclude<ReportScope, 'project'>,
    scopeId: string,
  ): Promise<{ restrictedToUnitIds: string[] }> {
    const reach = await this.scopeReach(user, scopeType, scopeId);
    if (!reach.exists || !reach.asStaff) {
      if (scopeType === 'sdg_target' && reach.exists)
        throw DomainException.forbidden(
          ErrorCode.FORBIDDEN,
          'SDG target reports span the whole portfolio: ask an admin',
        );
      throw DomainException.notFound(`Report scope ${scopeType}`);
    }
    if (user.scope.isAdmin || reach.covers) return { restrictedToUnitIds: [] };
    const roots = user.assignments
      .filter((a) => (a.role === 'project_manager' || a.role === 'rbm_focal_point') && a.orgUnitId)
      .map((a) => a.orgUnitId!);
    return { restrictedToUnitIds: [...new Set(roots)].sort() };
  }

  /**
   * The org units whose programmes the caller may see and link projects to: the units their
   * manager and focal point assignments cover and every unit above them (global programmes are
   * open to all staff as well). Null for admins (every programme).
   */
  async programmeUnits(user: AuthUser, manager?: EntityManager): Promise<string[] | null> {
    if (user.scope.isAdmin) return null;
    const covered = this.staffUnits(user);
    if (covered.length === 0) return [];
    return this.repository.unitsAndAncestors(covered, manager);
  }

  /**
   * The org units the caller sees: every unit for admins (null), otherwise those their manager and
   * focal point assignments cover (none for donors).
   */
  visibleOrgUnitIds(user: AuthUser): string[] | null {
    return user.scope.isAdmin ? null : this.staffUnits(user);
  }

  /** Org units the caller covers as manager or focal point (each assignment's unit and the units below). */
  private staffUnits(user: AuthUser): string[] {
    return [...new Set([...user.scope.managerUnitIds, ...user.scope.focalUnitIds])];
  }

  /**
   * Whether a multi-project scope exists, whether the caller reaches it as staff (admin, or manager/
   * focal point in scope) and whether their org units cover every project of it.
   */
  private async scopeReach(
    user: AuthUser,
    scopeType: ReportScope,
    scopeId: string,
  ): Promise<{ exists: boolean; asStaff: boolean; covers: boolean }> {
    const row = await this.repository.scopeReach(scopeType, scopeId, this.staffUnits(user));
    const asStaff = row.exists && (user.scope.isAdmin || row.reach);
    return { exists: row.exists, asStaff, covers: asStaff && (user.scope.isAdmin || row.covers) };
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
   * Restricts a query on reports (alias `alias`) to the caller's scope, with the rules of
   * {@link authorizeReport}: project reports of projects reached as manager or focal point, and, for
   * donors, reports of funded projects that are not internal; donor reports of the caller's donor
   * organisation (not internal); restricted donor and programme reports whose units all lie in the
   * caller's scope; unrestricted ones when the caller's units reach the scope and cover every project
   * of it; org unit reports of units they cover. SDG target reports: admins.
   */
  scopeReports<T extends object>(qb: SelectQueryBuilder<T>, user: AuthUser, alias = 'r'): SelectQueryBuilder<T> {
    if (user.scope.isAdmin) return qb;
    const a = alias;
    const restricted = `(cardinality(${a}.restricted_to_unit_ids) > 0 AND ${a}.restricted_to_unit_ids <@ CAST(:scopeUnits AS uuid[]))`;
    const whole = `cardinality(${a}.restricted_to_unit_ids) = 0`;
    return qb.andWhere(
      `((${a}.scope_type = 'project' AND (
         EXISTS (SELECT 1 FROM project sp WHERE sp.id::text = ${a}.scope_id AND sp.org_unit_id = ANY(:scopeUnits))
         OR (${a}.internal = false AND EXISTS (SELECT 1 FROM funding_agreement sfa WHERE sfa.project_id::text = ${a}.scope_id AND sfa.donor_id = ANY(:scopeDonors)))))
       OR (${a}.scope_type = 'donor' AND (
         (${a}.internal = false AND ${a}.scope_id = ANY(CAST(:scopeDonors AS text[])))
         OR ${restricted}
         OR (${whole}
             AND EXISTS (SELECT 1 FROM funding_agreement sfa JOIN project sp ON sp.id = sfa.project_id WHERE sfa.donor_id::text = ${a}.scope_id AND sp.org_unit_id = ANY(:scopeUnits))
             AND NOT EXISTS (SELECT 1 FROM funding_agreement sfa JOIN project sp ON sp.id = sfa.project_id WHERE sfa.donor_id::text = ${a}.scope_id AND NOT (sp.org_unit_id = ANY(:scopeUnits))))))
       OR (${a}.scope_type = 'programme' AND (
         ${restricted}
         OR (${whole}
             AND EXISTS (SELECT 1 FROM programme sg WHERE sg.id::text = ${a}.scope_id AND (sg.org_unit_id = ANY(:scopeUnits) OR EXISTS (SELECT 1 FROM project sp WHERE sp.programme_id = sg.id AND sp.org_unit_id = ANY(:scopeUnits))))
             AND NOT EXISTS (SELECT 1 FROM project sp WHERE sp.programme_id::text = ${a}.scope_id AND NOT (sp.org_unit_id = ANY(:scopeUnits))))))
       OR (${a}.scope_type = 'org_unit' AND ${a}.scope_id = ANY(CAST(:scopeUnits AS text[]))))`,
      { scopeUnits: this.staffUnits(user), scopeDonors: user.scope.donorIds },
    );
  }

  /**
   * The org unit a manager imports into: must be one they manage (admins: any).
   * @throws DomainException not_found when the unit does not exist or is outside the caller's scope
   * @throws DomainException forbidden when the caller is not a manager there
   */
  async authorizeImportInto(user: AuthUser, orgUnitCode: string): Promise<OrgUnitEntity> {
    const unit = await this.repository.orgUnitByCode(orgUnitCode);
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
