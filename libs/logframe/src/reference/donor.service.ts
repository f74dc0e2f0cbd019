import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import { type DonorEntity, TransactionRunner } from '#libs/database';
import { type DonorSort, type DonorVisibility, DonorRepository } from './donor.repository.js';
import {
  saveAudited,
  differs,
  type ReferencePageRequest,
  type ReferencePage,
  pick,
  requireAdmin,
  staleVersion,
} from './reference-support.js';
import { AuditEventRepository } from '../audit-event.repository.js';

/** A new donor organisation; `iatiOrgRef` is its IATI organisation identifier (e.g. `GB-GOV-3`), unique when given. */
export interface DonorInput {
  name: string;
  iatiOrgRef?: string | null;
}

/** Changes to a donor (`iatiOrgRef: null` clears it) and the `version` the caller read. */
export interface DonorChanges extends Partial<DonorInput> {
  version: number;
}

const AUDITED = ['name', 'iatiOrgRef'] as const;

/**
 * Donor organisations (DESIGN.md §2), managed by admins.
 *
 * Who sees a donor: admins all; donors their own organisation(s); project managers and RBM focal
 * points the donors funding a project of an org unit they cover. Outside that: 404.
 */
@Injectable()
export class DonorService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditEventRepository,
    private readonly donors: DonorRepository,
  ) {}

  /** A page of the donors `user` sees, filtered by `q` (name or IATI organisation identifier). */
  list(
    user: AuthUser,
    filter: { q?: string },
    request: ReferencePageRequest<DonorSort>,
  ): Promise<ReferencePage<DonorEntity>> {
    return this.donors.page(this.visibility(user), filter, request);
  }

  /** @throws DomainException not_found when the donor does not exist or is outside the caller's scope */
  async get(user: AuthUser, id: string): Promise<DonorEntity> {
    const donor = await this.donors.findVisible(id, this.visibility(user));
    if (!donor) throw DomainException.notFound('Donor');
    return donor;
  }

  /**
   * Creates a donor (admins; audit `donor.create`).
   * @throws DomainException forbidden for non-admins; conflict (field `iatiOrgRef`) when another donor has the identifier
   */
  async create(user: AuthUser, input: DonorInput): Promise<DonorEntity> {
    requireAdmin(user, 'donors');
    const values = { name: input.name.trim(), iatiOrgRef: input.iatiOrgRef?.trim() || null };
    return this.tx.run(async (m) => {
      if (values.iatiOrgRef) await this.assertRefFree(m, values.iatiOrgRef);
      return saveAudited(
        this.audit,
        m,
        { actorId: user.id, action: 'donor.create', entityType: 'donor', fields: AUDITED },
        () => this.donors.save(values, m),
        () => this.refTaken(values.iatiOrgRef ?? ''),
      );
    });
  }

  /**
   * Renames a donor or changes (or clears) its IATI organisation identifier; `version` must be the
   * current one. A call that changes nothing returns the donor unchanged; otherwise audit `donor.update`.
   * @throws DomainException forbidden, not_found, conflict (stale version; identifier taken)
   */
  async update(user: AuthUser, id: string, changes: DonorChanges): Promise<DonorEntity> {
    requireAdmin(user, 'donors');
    return this.tx.run(async (m) => {
      const donor = await this.donors.lock(id, m);
      if (!donor) throw DomainException.notFound('Donor');
      if (donor.version !== changes.version) throw staleVersion('Donor', donor.version, changes.version);
      const next: Partial<DonorEntity> = {
        name: changes.name?.trim(),
        iatiOrgRef: changes.iatiOrgRef === undefined ? undefined : changes.iatiOrgRef?.trim() || null,
      };
      if (!differs(donor, next, [...AUDITED])) return donor;
      if (next.iatiOrgRef) await this.assertRefFree(m, next.iatiOrgRef, id);
      const before = pick(donor, AUDITED);
      if (next.name !== undefined) donor.name = next.name;
      if (next.iatiOrgRef !== undefined) donor.iatiOrgRef = next.iatiOrgRef;
      return saveAudited(
        this.audit,
        m,
        { actorId: user.id, action: 'donor.update', entityType: 'donor', fields: AUDITED, before },
        () => this.donors.save(donor, m),
        () => this.refTaken(donor.iatiOrgRef ?? ''),
      );
    });
  }

  /**
   * Donors are organisation-wide reference data: admins and staff (managers, focal points) see every
   * donor, so they can record any of them as a funder; donor users see only their own organisation.
   */
  private visibility(user: AuthUser): DonorVisibility {
    const staff = user.scope.managerUnitIds.length > 0 || user.scope.focalUnitIds.length > 0;
    return user.scope.isAdmin || staff ? { all: true } : { all: false, donorIds: user.scope.donorIds, unitIds: [] };
  }

  private async assertRefFree(m: EntityManager, iatiOrgRef: string, exceptId?: string): Promise<void> {
    if (await this.donors.findByIatiOrgRef(iatiOrgRef, exceptId, m)) throw this.refTaken(iatiOrgRef);
  }

  private refTaken(iatiOrgRef: string): DomainException {
    return DomainException.conflict(
      ErrorCode.DUPLICATE,
      `A donor with IATI organisation identifier '${iatiOrgRef}' already exists`,
      [
        {
          path: 'iatiOrgRef',
          code: 'already_used',
          params: { value: iatiOrgRef },
          message: `'${iatiOrgRef}' is already used by another donor`,
        },
      ],
    );
  }
}
