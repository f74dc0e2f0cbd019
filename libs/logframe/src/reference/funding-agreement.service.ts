import { Injectable } from '@nestjs/common';
import { type AuthUser, PolicyService } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import { type FundingAgreementEntity, TransactionRunner } from '#libs/database';
import { DonorRepository } from './donor.repository.js';
import { FundingAgreementRepository } from './funding-agreement.repository.js';
import {
  assertDateOrder,
  conflictOnDuplicate,
  differs,
  notFoundField,
  pick,
  staleVersion,
} from './reference-support.js';
import { AuditEventRepository } from '../audit-event.repository.js';

/**
 * A funding agreement as the API shows it: `amount` is an exact decimal string (e.g. `'1234567.89'`)
 * in `currency` (ISO 4217); dates are `YYYY-MM-DD`. Rows imported from IATI may lack amount,
 * currency or dates (null).
 */
export interface FundingAgreementView {
  id: string;
  projectId: string;
  donorId: string;
  donorName: string;
  amount: string | null;
  currency: string | null;
  startDate: string | null;
  endDate: string | null;
  version: number;
}

/** A new agreement: `amount` is a non-negative exact decimal string. */
export interface FundingAgreementInput {
  donorId: string;
  amount: string;
  currency: string;
  startDate: string;
  endDate: string;
}

/** Changes to an agreement (the donor cannot change: remove the agreement and add another) and the `version` read. */
export interface FundingAgreementChanges extends Partial<Omit<FundingAgreementInput, 'donorId'>> {
  version: number;
}

const AUDITED = ['donorId', 'amount', 'currency', 'startDate', 'endDate'] as const;
const EDITABLE = ['amount', 'currency', 'startDate', 'endDate'] as const;

/**
 * Funding agreements: which donors fund a project, with how much and when (DESIGN.md §2).
 * Reading needs `project.read` on the project (donors of a funded project see every agreement of it:
 * co-funders are disclosed, DESIGN.md §6); changes need `funding.edit` (admins, the project's
 * managers). One agreement per donor and project. Every change is audited with the project id.
 */
@Injectable()
export class FundingAgreementService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditEventRepository,
    private readonly agreements: FundingAgreementRepository,
    private readonly donors: DonorRepository,
    private readonly policy: PolicyService,
  ) {}

  /**
   * The project's agreements by donor name.
   * @throws DomainException not_found (project outside scope)
   */
  async list(user: AuthUser, projectId: string): Promise<FundingAgreementView[]> {
    await this.policy.authorizeProject(user, 'project.read', projectId);
    return (await this.agreements.listForProject(projectId)).map((a) => this.view(a, a.donor?.name ?? ''));
  }

  /**
   * Adds a donor's agreement to a project (audit `funding_agreement.create`).
   * @throws DomainException not_found (project outside scope; field `donorId` for an unknown donor), forbidden (role may not edit funding)
   * @throws DomainException conflict (field `donorId`) when the donor already has an agreement on the project
   * @throws DomainException bad_request (field `endDate`) when the dates are in the wrong order
   */
  async create(user: AuthUser, projectId: string, input: FundingAgreementInput): Promise<FundingAgreementView> {
    return this.tx.run(async (m) => {
      await this.policy.authorizeProject(user, 'funding.edit', projectId, m);
      assertDateOrder(input.startDate, input.endDate);
      const donor = await this.donors.find(input.donorId, m);
      if (!donor) throw notFoundField('Donor', 'donorId');
      const taken = () =>
        DomainException.conflict(
          ErrorCode.DUPLICATE,
          `Donor '${donor.name}' already has a funding agreement on this project; change that one instead`,
          [{ path: 'donorId', code: 'already_used', params: {}, message: 'already funds this project' }],
        );
      if (await this.agreements.findByDonor(projectId, donor.id, m)) throw taken();
      const saved = await conflictOnDuplicate(
        () =>
          this.agreements.save(
            {
              projectId,
              donorId: donor.id,
              amount: input.amount,
              currency: input.currency,
              startDate: input.startDate,
              endDate: input.endDate,
            },
            m,
          ),
        taken,
      );
      await this.audit.record(
        {
          actorId: user.id,
          action: 'funding_agreement.create',
          entityType: 'funding_agreement',
          entityId: saved.id,
          projectId,
          after: pick(saved, AUDITED),
        },
        m,
      );
      return this.view(saved, donor.name);
    });
  }

  /**
   * Changes amount, currency or dates; `version` must be the current one. A call that changes nothing
   * returns the agreement unchanged; otherwise audit `funding_agreement.update` with before/after.
   * @throws DomainException not_found (project outside scope, or no such agreement on it), forbidden, conflict (stale version)
   * @throws DomainException bad_request (dates in the wrong order; `currency` missing for an amount)
   */
  async update(
    user: AuthUser,
    projectId: string,
    id: string,
    changes: FundingAgreementChanges,
  ): Promise<FundingAgreementView> {
    return this.tx.run(async (m) => {
      await this.policy.authorizeProject(user, 'funding.edit', projectId, m);
      const agreement = await this.agreements.lock(projectId, id, m);
      if (!agreement) throw DomainException.notFound('Funding agreement');
      if (agreement.version !== changes.version)
        throw staleVersion('Funding agreement', agreement.version, changes.version);
      const donorName = (await this.donors.find(agreement.donorId, m))?.name ?? '';
      if (!differs(agreement, changes, [...EDITABLE])) return this.view(agreement, donorName);
      const before = pick(agreement, AUDITED);
      for (const key of EDITABLE) if (changes[key] !== undefined) Object.assign(agreement, { [key]: changes[key] });
      assertDateOrder(agreement.startDate, agreement.endDate);
      if (agreement.amount !== null && agreement.currency === null) {
        throw DomainException.badRequest(ErrorCode.VALIDATION_FAILED, 'The request has invalid fields', [
          {
            path: 'currency',
            code: 'required',
            params: { with: 'amount' },
            message: 'currency is required with an amount',
          },
        ]);
      }
      const saved = await this.agreements.save(agreement, m);
      await this.audit.record(
        {
          actorId: user.id,
          action: 'funding_agreement.update',
          entityType: 'funding_agreement',
          entityId: id,
          projectId,
          before,
          after: pick(saved, AUDITED),
        },
        m,
      );
      return this.view(saved, donorName);
    });
  }

  /**
   * Removes an agreement (audit `funding_agreement.delete` with the removed values). The donor's
   * users stop reaching the project unless another agreement links them.
   * @throws DomainException not_found (project outside scope, or no such agreement on it), forbidden
   */
  async remove(user: AuthUser, projectId: string, id: string): Promise<void> {
    await this.tx.run(async (m) => {
      await this.policy.authorizeProject(user, 'funding.edit', projectId, m);
      const agreement = await this.agreements.lock(projectId, id, m);
      if (!agreement) throw DomainException.notFound('Funding agreement');
      await this.agreements.delete(id, m);
      await this.audit.record(
        {
          actorId: user.id,
          action: 'funding_agreement.delete',
          entityType: 'funding_agreement',
          entityId: id,
          projectId,
          before: pick(agreement, AUDITED),
        },
        m,
      );
    });
  }

  private view(a: FundingAgreementEntity, donorName: string): FundingAgreementView {
    return {
      id: a.id,
      projectId: a.projectId,
      donorId: a.donorId,
      donorName,
      amount: a.amount,
      currency: a.currency,
      startDate: a.startDate,
      endDate: a.endDate,
      version: a.version,
    };
  }
}
