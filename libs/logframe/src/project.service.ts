import { Injectable } from '@nestjs/common';
import { CalcDecimal } from '#libs/calculations';
import type { EntityManager } from 'typeorm';
import { type AuthUser, PolicyService } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import { type ProjectEntity, TransactionRunner } from '#libs/database';
import { AuditEventRepository } from './audit-event.repository.js';
import { OrgUnitRepository } from './org-unit.repository.js';
import { type ProjectFilter, ProjectRepository, type ProjectSummary } from './project.repository.js';
import { ProgrammeRepository } from './reference/programme.repository.js';
import { RevisionRepository } from './revision.repository.js';
import { staleVersionConflict } from './stale-version.js';

/** Project fields a manager sets. Dates `YYYY-MM-DD`; `budgetAmount` an exact decimal string in `budgetCurrency` (ISO 4217). */
export interface ProjectInput {
  code?: string;
  title?: string;
  description?: string | null;
  orgUnitId?: string;
  programmeId?: string | null;
  countries?: string[];
  startDate?: string | null;
  endDate?: string | null;
  budgetAmount?: string | null;
  budgetCurrency?: string | null;
  theoryOfChange?: string | null;
  genderMarker?: number | null;
  humanRightsMarker?: number | null;
  lnobGroups?: string[];
}

const EDITABLE: (keyof ProjectInput)[] = [
  'title',
  'description',
  'programmeId',
  'countries',
  'startDate',
  'endDate',
  'budgetAmount',
  'budgetCurrency',
  'theoryOfChange',
  'genderMarker',
  'humanRightsMarker',
  'lnobGroups',
];

/** A page of the project list as {@link ProjectService.list} answers it: each project with its list summary. */
export interface ProjectListPage {
  items: { project: ProjectEntity; summary: ProjectSummary }[];
  total: number;
}

/**
 * Who may create a project in an org unit: a project manager of that unit. A unit outside the
 * caller's reach (not covered as manager or focal point; admins reach all) is not revealed.
 * @throws DomainException not_found (unit outside reach), forbidden (not a manager there)
 */
export function authorizeProjectCreation(user: AuthUser, orgUnitId: string): void {
  const reach = [...user.scope.managerUnitIds, ...user.scope.focalUnitIds];
  if (!user.scope.isAdmin && !reach.includes(orgUnitId)) throw DomainException.notFound('Org unit');
  if (!user.scope.managerUnitIds.includes(orgUnitId))
    throw DomainException.forbidden(
      ErrorCode.FORBIDDEN,
      'Only a project manager of this office may create its projects',
    );
}

/**
 * Lists, reads, creates and edits project records; a new project starts with logframe revision 1 in
 * draft. Audited. Every method starts with the policy check of the caller; the list is filtered in
 * SQL with the policy's scope predicate.
 */
@Injectable()
export class ProjectService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly projects: ProjectRepository,
    private readonly revisions: RevisionRepository,
    private readonly orgUnits: OrgUnitRepository,
    private readonly programmes: ProgrammeRepository,
    private readonly audit: AuditEventRepository,
    private readonly policy: PolicyService,
  ) {}

  /**
   * A page of the projects in `user`'s scope (PolicyService.scopeProjects, in SQL) matching `filter`,
   * with each project's list summary; overdue indicators are judged on `asOf` (`YYYY-MM-DD`).
   */
  async list(
    user: AuthUser,
    filter: ProjectFilter,
    paging: { page: number; pageSize: number; sortColumn: string; direction: 'ASC' | 'DESC' },
    asOf: string,
  ): Promise<ProjectListPage> {
    const { items, total } = await this.projects.page(filter, (qb) => this.policy.scopeProjects(qb, user), paging);
    const summaries = await this.projects.summaries(
      items.map((p) => p.id),
      asOf,
    );
    return { items: items.map((project) => ({ project, summary: summaries.get(project.id)! })), total };
  }

  /** A project `user` may read. @throws DomainException not_found (also when outside the caller's scope) */
  async get(user: AuthUser, id: string): Promise<ProjectEntity> {
    await this.policy.authorizeProject(user, 'project.read', id);
    return this.projects.get(id);
  }

  /**
   * Creates a project in an org unit `user` manages ({@link authorizeProjectCreation}); a programme
   * must be one the caller may link (PolicyService.programmeUnits).
   * @throws DomainException not_found (org unit), forbidden, conflict (code taken), unprocessable (dates,
   * budget, a programme that does not exist or that the caller may not link)
   */
  async create(
    user: AuthUser,
    input: ProjectInput & { code: string; title: string; orgUnitId: string },
  ): Promise<ProjectEntity> {
    authorizeProjectCreation(user, input.orgUnitId);
    const programmeUnits = await this.policy.programmeUnits(user);
    this.check(input);
    return this.tx.run(async (m) => {
      if (await this.projects.codeExists(input.code, m))
        throw DomainException.conflict(ErrorCode.DUPLICATE, `Project code '${input.code}' is already used`, [
          { path: 'code', code: 'already_used', params: {}, message: 'is already used' },
        ]);
      if (!(await this.orgUnits.exists(input.orgUnitId, m))) throw DomainException.notFound('Org unit');
      if (input.programmeId) await this.assertLinkable(m, input.programmeId, programmeUnits);
      const project = await this.projects.save(
        {
          ...this.fields(input),
          code: input.code,
          title: input.title,
          orgUnitId: input.orgUnitId,
          provenance: 'entered',
          createdById: user.id,
        },
        m,
      );
      await this.revisions.insert({ projectId: project.id, number: 1, status: 'draft' }, m);
      await this.audit.record(
        {
          projectId: project.id,
          actorId: user.id,
          action: 'project.create',
          entityType: 'project',
          entityId: project.id,
          after: this.audited(project),
        },
        m,
      );
      return project;
    });
  }

  /**
   * Edits a project as `user` (policy `project.edit`); a programme link that does not change is not
   * checked again.
   * @throws DomainException not_found, forbidden, conflict (stale version), unprocessable
   */
  async update(user: AuthUser, id: string, input: ProjectInput & { version: number }): Promise<ProjectEntity> {
    await this.policy.authorizeProject(user, 'project.edit', id);
    const programmeUnits = await this.policy.programmeUnits(user);
    return this.tx.run(async (m) => {
      const project = await this.projects.lock(id, m);
      if (!project) throw DomainException.notFound('Project');
      if (project.version !== input.version)
        throw staleVersionConflict(
          `The project was changed by someone else (version ${project.version}, yours ${input.version}); reload and try again`,
          project.version,
          input.version,
        );
      const merged = { ...project, ...this.fields(input) };
      this.check(merged);
      if (input.programmeId && input.programmeId !== project.programmeId)
        await this.assertLinkable(m, input.programmeId, programmeUnits);
      const before = this.audited(project);
      Object.assign(project, this.fields(input));
      const saved = await this.projects.save(project, m);
      await this.audit.record(
        {
          projectId: id,
          actorId: user.id,
          action: 'project.update',
          entityType: 'project',
          entityId: id,
          before,
          after: this.audited(saved),
        },
        m,
      );
      return saved;
    });
  }

  private fields(input: ProjectInput): Partial<ProjectEntity> {
    const out: Partial<ProjectEntity> = {};
    for (const key of EDITABLE) if (input[key] !== undefined) (out as Record<string, unknown>)[key] = input[key];
    if (input.budgetAmount !== undefined && input.budgetAmount !== null)
      out.budgetAmount = new CalcDecimal(input.budgetAmount).toString();
    return out;
  }

  /**
   * A project may join a programme whose org unit is one of `programmeUnits` (the caller's units and
   * those above them) or that is global; null allows any. Otherwise the programme is treated as
   * unknown (its existence is not revealed). Rule: docs/RULES.md "Report reach".
   */
  private async assertLinkable(m: EntityManager, programmeId: string, programmeUnits: string[] | null): Promise<void> {
    const programme = await this.programmes.find(programmeId, m);
    const linkable =
      programme &&
      (programmeUnits === null || programme.scope === 'global' || programmeUnits.includes(programme.orgUnitId));
    if (!linkable)
      throw DomainException.unprocessable(ErrorCode.REFERENCE_MISSING, 'No such programme', [
        { path: 'programmeId', code: 'not_found', params: { entity: 'programme' }, message: 'no such programme' },
      ]);
  }

  private check(p: ProjectInput): void {
    if (p.startDate && p.endDate && p.startDate > p.endDate)
      throw DomainException.unprocessable(ErrorCode.RULE_VIOLATED, 'The project ends before it starts', [
        {
          path: 'endDate',
          code: 'date_order',
          params: { start: p.startDate },
          message: `${p.endDate} is before startDate ${p.startDate}`,
        },
      ]);
    if ((p.budgetAmount ?? null) !== null && !p.budgetCurrency)
      throw DomainException.unprocessable(ErrorCode.RULE_VIOLATED, 'A budget needs its currency', [
        {
          path: 'budget.currency',
          code: 'required',
          params: { with: 'budget.amount' },
          message: 'is required with an amount',
        },
      ]);
  }

  /** The audited fields of a project. */
  private audited(p: ProjectEntity) {
    return {
      code: p.code,
      title: p.title,
      orgUnitId: p.orgUnitId,
      programmeId: p.programmeId,
      startDate: p.startDate,
      endDate: p.endDate,
      budgetAmount: p.budgetAmount,
      budgetCurrency: p.budgetCurrency,
      genderMarker: p.genderMarker,
      humanRightsMarker: p.humanRightsMarker,
      lnobGroups: p.lnobGroups,
      countries: p.countries,
    };
  }
}
