import { Injectable } from '@nestjs/common';
import { CalcDecimal } from '#libs/calculations';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainException, ErrorCode } from '#libs/common';
import {
  AuditEventEntity,
  LogframeRevisionEntity,
  OrgUnitEntity,
  ProgrammeEntity,
  ProjectEntity,
} from '#libs/database';

/** "Leave no one behind" target groups (DESIGN.md §2). */
export const LNOB_GROUPS = [
  'women',
  'children',
  'youth',
  'older_persons',
  'persons_with_disabilities',
  'people_who_use_drugs',
  'prisoners',
  'migrants',
  'refugees',
  'victims',
  'indigenous_peoples',
  'other',
] as const;

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

/** Creates and edits project records; a new project starts with logframe revision 1 in draft. Audited. */
@Injectable()
export class ProjectService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * `programmeUnits`: the org units whose programmes the caller may link (PolicyService.programmeUnits;
   * null: any programme, for admins and the system).
   * @throws DomainException conflict (code taken), not_found (org unit), unprocessable (dates, budget,
   * a programme that does not exist or that the caller may not link)
   */
  async create(
    input: ProjectInput & { code: string; title: string; orgUnitId: string },
    actorId: string,
    programmeUnits: string[] | null = null,
  ): Promise<ProjectEntity> {
    this.check(input);
    return this.dataSource.transaction(async (m) => {
      if (await m.getRepository(ProjectEntity).existsBy({ code: input.code }))
        throw DomainException.conflict(ErrorCode.DUPLICATE, `Project code '${input.code}' is already used`, [
          { path: 'code', code: 'already_used', params: {}, message: 'is already used' },
        ]);
      if (!(await m.getRepository(OrgUnitEntity).existsBy({ id: input.orgUnitId })))
        throw DomainException.notFound('Org unit');
      if (input.programmeId) await this.assertLinkable(m, input.programmeId, programmeUnits);
      const project = await m.getRepository(ProjectEntity).save(
        m.getRepository(ProjectEntity).create({
          ...this.fields(input),
          code: input.code,
          title: input.title,
          orgUnitId: input.orgUnitId,
          provenance: 'entered',
          createdById: actorId,
        }),
      );
      await m.getRepository(LogframeRevisionEntity).insert({ projectId: project.id, number: 1, status: 'draft' });
      await m.getRepository(AuditEventEntity).insert({
        projectId: project.id,
        actorId,
        action: 'project.create',
        entityType: 'project',
        entityId: project.id,
        after: this.audit(project),
      });
      return project;
    });
  }

  /**
   * `programmeUnits` as for {@link create}; a programme link that does not change is not checked again.
   * @throws DomainException not_found, conflict (stale version), unprocessable
   */
  async update(
    id: string,
    input: ProjectInput & { version: number },
    actorId: string,
    programmeUnits: string[] | null = null,
  ): Promise<ProjectEntity> {
    return this.dataSource.transaction(async (m) => {
      const project = await m
        .getRepository(ProjectEntity)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!project) throw DomainException.notFound('Project');
      if (project.version !== input.version)
        throw DomainException.staleVersion(
          `The project was changed by someone else (version ${project.version}, yours ${input.version}); reload and try again`,
          project.version,
          input.version,
          [
            {
              path: 'version',
              code: 'stale_version',
              params: { current: project.version, yours: input.version },
              message: `is ${input.version}, current is ${project.version}`,
            },
          ],
        );
      const merged = { ...project, ...this.fields(input) };
      this.check(merged);
      if (input.programmeId && input.programmeId !== project.programmeId)
        await this.assertLinkable(m, input.programmeId, programmeUnits);
      const before = this.audit(project);
      Object.assign(project, this.fields(input));
      const saved = await m.getRepository(ProjectEntity).save(project);
      await m.getRepository(AuditEventEntity).insert({
        projectId: id,
        actorId,
        action: 'project.update',
        entityType: 'project',
        entityId: id,
        before,
        after: this.audit(saved),
      });
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
    const programme = await m.getRepository(ProgrammeEntity).findOneBy({ id: programmeId });
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

  private audit(p: ProjectEntity) {
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
