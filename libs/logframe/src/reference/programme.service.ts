import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type AuthUser, PolicyService } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import { type ProgrammeEntity, type ProgrammeScope, TransactionRunner } from '#libs/database';
import { type ProgrammeSort, type ProgrammeVisibility, ProgrammeRepository } from './programme.repository.js';
import {
  assertDateOrder,
  saveAudited,
  coveredUnits,
  differs,
  notFoundField,
  type ReferencePageRequest,
  type ReferencePage,
  pick,
  staleVersion,
} from './reference-support.js';
import { AuditEventRepository } from '../audit-event.repository.js';

/** A new programme. Dates are calendar dates `YYYY-MM-DD`; `endDate` ≥ `startDate`. */
export interface ProgrammeInput {
  code: string;
  title: string;
  scope: ProgrammeScope;
  orgUnitId: string;
  startDate: string;
  endDate: string;
}

/** Changes to a programme: any field of {@link ProgrammeInput}, and the `version` the caller read. */
export interface ProgrammeChanges extends Partial<ProgrammeInput> {
  version: number;
}

const AUDITED = ['code', 'title', 'scope', 'orgUnitId', 'startDate', 'endDate'] as const;

/**
 * Programmes (DESIGN.md §2): reference data that groups projects.
 *
 * Who sees a programme: admins all; others the programmes whose org unit they cover as project
 * manager or RBM focal point (the unit or one above it), and the programmes holding a project they
 * reach (donors: a project their organisation funds). Outside that: 404.
 * Who changes one: admins, and project managers of the programme's org unit (creating or moving a
 * programme also needs that right on the target unit); others who see it: 403.
 */
@Injectable()
export class ProgrammeService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditEventRepository,
    private readonly programmes: ProgrammeRepository,
    private readonly policy: PolicyService,
  ) {}

  /** A page of the programmes `user` sees, filtered by `q` (code or title) and `orgUnitId`. */
  async list(
    user: AuthUser,
    filter: { q?: string; orgUnitId?: string },
    request: ReferencePageRequest<ProgrammeSort>,
  ): Promise<ReferencePage<ProgrammeEntity>> {
    return this.programmes.page(await this.visibility(user), filter, request);
  }

  /** @throws DomainException not_found when the programme does not exist or is outside the caller's scope */
  async get(user: AuthUser, id: string): Promise<ProgrammeEntity> {
    const programme = await this.programmes.findVisible(id, await this.visibility(user));
    if (!programme) throw DomainException.notFound('Programme');
    return programme;
  }

  /**
   * Creates a programme (audit `programme.create`).
   * @throws DomainException not_found (field `orgUnitId`) when the org unit does not exist or is outside the caller's scope
   * @throws DomainException forbidden when the caller is not an admin or a project manager of that unit
   * @throws DomainException conflict (field `code`) when another programme has the code (ignoring case)
   * @throws DomainException bad_request (field `endDate`) when the dates are in the wrong order
   */
  async create(user: AuthUser, input: ProgrammeInput): Promise<ProgrammeEntity> {
    const values = { ...input, code: input.code.trim(), title: input.title.trim() };
    assertDateOrder(values.startDate, values.endDate);
    return this.tx.run(async (m) => {
      await this.authorizeUnit(m, user, values.orgUnitId);
      await this.assertCodeFree(m, values.code);
      return saveAudited(
        this.audit,
        m,
        { actorId: user.id, action: 'programme.create', entityType: 'programme', fields: AUDITED },
        () => this.programmes.save(values, m),
        () => this.codeTaken(values.code),
      );
    });
  }

  /**
   * Changes a programme; `version` must be the current one. A call that changes nothing returns the
   * programme unchanged (same version, no audit event); otherwise audit `programme.update` with before/after.
   * @throws DomainException not_found (programme outside scope; field `orgUnitId` for a target unit outside scope)
   * @throws DomainException forbidden, conflict (stale version, field `version`; code taken, field `code`), bad_request (dates)
   */
  async update(user: AuthUser, id: string, changes: ProgrammeChanges): Promise<ProgrammeEntity> {
    return this.tx.run(async (m) => {
      const programme = await this.programmes.lock(id, m);
      if (!programme || !(await this.programmes.findVisible(id, await this.visibility(user, m), m)))
        throw DomainException.notFound('Programme');
      if (!this.mayManage(user, programme.orgUnitId))
        throw DomainException.forbidden(
          ErrorCode.FORBIDDEN,
          "Only an admin or a project manager of the programme's org unit may change it",
        );
      if (programme.version !== changes.version) throw staleVersion('Programme', programme.version, changes.version);
      const next = {
        code: changes.code?.trim(),
        title: changes.title?.trim(),
        scope: changes.scope,
        orgUnitId: changes.orgUnitId,
        startDate: changes.startDate,
        endDate: changes.endDate,
      };
      if (!differs(programme, next, [...AUDITED])) return programme;
      assertDateOrder(next.startDate ?? programme.startDate, next.endDate ?? programme.endDate);
      if (next.orgUnitId !== undefined && next.orgUnitId !== programme.orgUnitId)
        await this.authorizeUnit(m, user, next.orgUnitId);
      if (next.code !== undefined && next.code !== programme.code) await this.assertCodeFree(m, next.code, id);
      const before = pick(programme, AUDITED);
      for (const key of AUDITED) if (next[key] !== undefined) Object.assign(programme, { [key]: next[key] });
      return saveAudited(
        this.audit,
        m,
        { actorId: user.id, action: 'programme.update', entityType: 'programme', fields: AUDITED, before },
        () => this.programmes.save(programme, m),
        () => this.codeTaken(programme.code),
      );
    });
  }

  /**
   * Staff see the programmes of their org units and of every unit above them, and the global ones
   * (docs/RULES.md "Report reach"); donor users those holding a project their organisation funds.
   */
  private async visibility(user: AuthUser, m?: EntityManager): Promise<ProgrammeVisibility> {
    if (user.scope.isAdmin) return { all: true };
    const staff = user.scope.managerUnitIds.length > 0 || user.scope.focalUnitIds.length > 0;
    return {
      all: false,
      unitIds: (await this.policy.programmeUnits(user, m)) ?? [],
      includeGlobal: staff,
      reachProjects: user.scope.donorIds.length
        ? (qb, alias) =>
            qb.andWhere(
              `EXISTS (SELECT 1 FROM funding_agreement vfa WHERE vfa.project_id = ${alias}.id AND vfa.donor_id = ANY(:visibleDonors))`,
              { visibleDonors: user.scope.donorIds },
            )
        : null,
    };
  }

  private mayManage(user: AuthUser, orgUnitId: string): boolean {
    return user.scope.isAdmin || user.scope.managerUnitIds.includes(orgUnitId);
  }

  /** The caller may place a programme in this unit: it exists, is in scope (else 404) and they manage it (else 403). */
  private async authorizeUnit(m: EntityManager, user: AuthUser, orgUnitId: string): Promise<void> {
    const inScope = user.scope.isAdmin || coveredUnits(user).includes(orgUnitId);
    if (!inScope || !(await this.programmes.orgUnitExists(orgUnitId, m))) throw notFoundField('Org unit', 'orgUnitId');
    if (!this.mayManage(user, orgUnitId))
      throw DomainException.forbidden(
        ErrorCode.FORBIDDEN,
        'Only an admin or a project manager of this org unit may hold programmes in it',
      );
  }

  private async assertCodeFree(m: EntityManager, code: string, exceptId?: string): Promise<void> {
    const other = await this.programmes.findByCode(code, exceptId, m);
    if (other) throw this.codeTaken(code, other.code);
  }

  private codeTaken(code: string, existing = code): DomainException {
    return DomainException.conflict(
      ErrorCode.DUPLICATE,
      `Programme code '${code}' is already used${existing !== code ? ` (by '${existing}')` : ''}`,
      [{ path: 'code', code: 'already_used', params: {}, message: 'is already used' }],
    );
  }
}
