import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainException, ErrorCode } from '#libs/common';
import {
  type OrgUnitEntity,
  type OrgUnitType,
  type Role,
  type RoleAssignmentEntity,
  TransactionRunner,
  type UserEntity,
} from '#libs/database';
import { AuditLogRepository } from './audit-log.repository.js';
import { AuthSessionRepository } from './auth-session.repository.js';
import type { AuthUser } from './auth-user.js';
import { AuthService } from './auth.service.js';
import { OrgUnitAdminRepository } from './org-unit-admin.repository.js';
import { PolicyService } from './policy.service.js';
import { UserRepository } from './user.repository.js';

/** A user as admins see it: never the password hash. */
export interface UserView {
  id: string;
  email: string;
  displayName: string;
  /** Report language (`en` or `fr`). */
  language: string;
  isActive: boolean;
  version: number;
  assignments: { id: string; role: Role; orgUnitId: string | null; donorId: string | null }[];
}

/** Minimum password length (NIST SP 800-63B asks for at least 8; we ask 10). */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * Admin management of users, role assignments and org units. Every change writes an audit event.
 * Rules: `admin` assignments are global; `donor` assignments name a donor and no org unit;
 * `project_manager` and `rbm_focal_point` name an org unit.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly users: UserRepository,
    private readonly orgUnits: OrgUnitAdminRepository,
    private readonly sessions: AuthSessionRepository,
    private readonly audit: AuditLogRepository,
    private readonly policy: PolicyService,
  ) {}

  async list(): Promise<UserView[]> {
    const users = await this.users.list();
    const assignments = await this.users.assignments();
    return users.map((u) =>
      this.view(
        u,
        assignments.filter((a) => a.userId === u.id),
      ),
    );
  }

  /** @throws DomainException not_found */
  async get(id: string): Promise<UserView> {
    const user = await this.users.findById(id);
    if (!user) throw DomainException.notFound('User');
    return this.view(user, await this.users.assignments(id));
  }

  /** @throws DomainException conflict when the email is taken */
  async create(
    input: { email: string; displayName: string; password: string },
    actorId: string | null,
  ): Promise<UserView> {
    const email = input.email.trim().toLowerCase();
    return this.tx.run(async (m) => {
      if (await this.users.emailTaken(email, m))
        throw DomainException.conflict(ErrorCode.DUPLICATE, `A user with email '${email}' already exists`, [
          { path: 'email', code: 'already_used', params: {}, message: 'is already used' },
        ]);
      const user = await this.users.save(
        {
          email,
          displayName: input.displayName.trim(),
          passwordHash: await AuthService.hashPassword(input.password),
          isActive: true,
        },
        m,
      );
      await this.audit.append(
        {
          actorId,
          action: 'user.create',
          entityType: 'user',
          entityId: user.id,
          after: { email, displayName: user.displayName },
        },
        m,
      );
      return this.view(user, []);
    });
  }

  /**
   * Updates name, active flag, report language or password; `version` must match (409 otherwise). Deactivating a user
   * or changing the password ends their sessions.
   */
  async update(
    id: string,
    input: { version: number; displayName?: string; isActive?: boolean; password?: string; language?: string },
    actorId: string | null,
  ): Promise<UserView> {
    return this.tx.run(async (m) => {
      const user = await this.users.lockById(id, m);
      if (!user) throw DomainException.notFound('User');
      if (user.version !== input.version)
        throw DomainException.staleVersion(
          `User was changed by someone else (version ${user.version}, yours ${input.version}); reload and try again`,
          user.version,
          input.version,
        );
      if (input.isActive === false && user.isActive && (await this.users.isAdmin(id, m)))
        await this.keepOneAdmin(m, id);
      const before = { displayName: user.displayName, isActive: user.isActive, language: user.language };
      if (input.displayName !== undefined) user.displayName = input.displayName.trim();
      if (input.isActive !== undefined) user.isActive = input.isActive;
      if (input.language !== undefined) user.language = input.language;
      if (input.password !== undefined) user.passwordHash = await AuthService.hashPassword(input.password);
      const saved = await this.users.save(user, m);
      if (input.isActive === false || input.password !== undefined) await this.sessions.revokeAllOfUser(id, m);
      await this.audit.append(
        {
          actorId,
          action: 'user.update',
          entityType: 'user',
          entityId: id,
          before,
          after: {
            displayName: saved.displayName,
            isActive: saved.isActive,
            language: saved.language,
            passwordChanged: input.password !== undefined,
          },
        },
        m,
      );
      return this.view(saved, await this.users.assignmentsOf(id, m));
    });
  }

  /**
   * Adds a role assignment.
   * @throws DomainException unprocessable when the pair breaks the rules above; not_found for a missing unit or donor; conflict when it exists
   */
  async assign(
    userId: string,
    input: { role: Role; orgUnitId?: string | null; donorId?: string | null },
    actorId: string | null,
  ): Promise<UserView> {
    await this.assignWithin(userId, input, actorId);
    return this.get(userId);
  }

  private async assignWithin(
    userId: string,
    input: { role: Role; orgUnitId?: string | null; donorId?: string | null },
    actorId: string | null,
  ): Promise<void> {
    const orgUnitId = input.orgUnitId ?? null;
    const donorId = input.donorId ?? null;
    const fail = (path: string, message: string) =>
      DomainException.unprocessable(ErrorCode.RULE_VIOLATED, message, [
        { path, code: 'role_scope', params: { role: input.role }, message },
      ]);
    if (input.role === 'admin' && (orgUnitId || donorId))
      throw fail('orgUnitId', 'An admin assignment is global: give no orgUnitId or donorId');
    if (input.role === 'donor' && (!donorId || orgUnitId))
      throw fail('donorId', 'A donor assignment names a donor organisation (donorId) and no orgUnitId');
    if ((input.role === 'project_manager' || input.role === 'rbm_focal_point') && (!orgUnitId || donorId))
      throw fail('orgUnitId', `A ${input.role} assignment names an org unit (orgUnitId) and no donorId`);
    const scope = { role: input.role, orgUnitId, donorId };
    return this.tx.run(async (m) => {
      if (!(await this.users.exists(userId, m))) throw DomainException.notFound('User');
      if (orgUnitId && !(await this.orgUnits.exists(orgUnitId, m))) throw DomainException.notFound('Org unit');
      if (donorId && !(await this.users.donorExists(donorId, m))) throw DomainException.notFound('Donor');
      if (await this.users.holds(userId, scope, m))
        throw DomainException.conflict(ErrorCode.DUPLICATE, 'The user already holds this assignment');
      const saved = await this.users.saveAssignment(userId, scope, m);
      await this.audit.append(
        {
          actorId,
          action: 'user.assign',
          entityType: 'role_assignment',
          entityId: saved.id,
          after: { userId, role: input.role, orgUnitId, donorId },
        },
        m,
      );
    });
  }

  /** Removes a role assignment. @throws DomainException not_found */
  async unassign(userId: string, assignmentId: string, actorId: string | null): Promise<UserView> {
    await this.tx.run(async (m) => {
      const assignment = await this.users.findAssignment(userId, assignmentId, m);
      if (!assignment) throw DomainException.notFound('Role assignment');
      if (assignment.role === 'admin') await this.keepOneAdmin(m, userId);
      await this.users.deleteAssignment(assignmentId, m);
      await this.audit.append(
        {
          actorId,
          action: 'user.unassign',
          entityType: 'role_assignment',
          entityId: assignmentId,
          before: { userId, role: assignment.role, orgUnitId: assignment.orgUnitId, donorId: assignment.donorId },
        },
        m,
      );
    });
    return this.get(userId);
  }

  /**
   * Refuses a change that would leave no active admin (only the database could then recover).
   * Locks the admin assignments so two concurrent removals cannot both pass.
   * @throws DomainException conflict
   */
  private async keepOneAdmin(m: EntityManager, losingUserId: string): Promise<void> {
    if ((await this.users.lockOtherActiveAdmins(losingUserId, m)) === 0)
      throw DomainException.conflict(
        ErrorCode.LAST_ADMIN,
        'This is the last active admin: give another user the admin role first',
      );
  }

  /** The org units the caller sees, by code: all for admins, the units their staff roles cover for others. */
  orgUnitsInScope(user: AuthUser): Promise<OrgUnitEntity[]> {
    return this.orgUnits.list(this.policy.visibleOrgUnitIds(user));
  }

  /** Creates an org unit under an optional parent. @throws DomainException conflict (code taken), not_found (parent) */
  async createOrgUnit(
    input: { code: string; name: string; type: OrgUnitType; parentId?: string | null; countryCodes?: string[] },
    actorId: string | null,
  ): Promise<OrgUnitEntity> {
    return this.tx.run(async (m) => {
      if (await this.orgUnits.codeTaken(input.code, m))
        throw DomainException.conflict(ErrorCode.DUPLICATE, `Org unit code '${input.code}' is already used`, [
          { path: 'code', code: 'already_used', params: {}, message: 'is already used' },
        ]);
      if (input.parentId && !(await this.orgUnits.exists(input.parentId, m)))
        throw DomainException.notFound('Parent org unit');
      const unit = await this.orgUnits.save(
        {
          code: input.code,
          name: input.name,
          type: input.type,
          parentId: input.parentId ?? null,
          countryCodes: input.countryCodes ?? [],
        },
        m,
      );
      await this.audit.append(
        {
          actorId,
          action: 'org_unit.create',
          entityType: 'org_unit',
          entityId: unit.id,
          after: { code: unit.code, name: unit.name, type: unit.type, parentId: unit.parentId },
        },
        m,
      );
      return unit;
    });
  }

  /**
   * Renames or moves an org unit; `version` must match. A unit cannot be moved under itself or a descendant.
   * @throws DomainException not_found, conflict (stale version), unprocessable (cycle)
   */
  async updateOrgUnit(
    id: string,
    input: { version: number; name?: string; parentId?: string | null; countryCodes?: string[] },
    actorId: string | null,
  ): Promise<OrgUnitEntity> {
    return this.tx.run(async (m) => {
      const unit = await this.orgUnits.lockById(id, m);
      if (!unit) throw DomainException.notFound('Org unit');
      if (unit.version !== input.version)
        throw DomainException.staleVersion(
          `Org unit was changed by someone else (version ${unit.version}, yours ${input.version}); reload and try again`,
          unit.version,
          input.version,
        );
      if (input.parentId) {
        if (await this.orgUnits.isSelfOrBelow(id, input.parentId, m))
          throw DomainException.unprocessable(
            ErrorCode.RULE_VIOLATED,
            'An org unit cannot be placed under itself or one of its own units',
            [{ path: 'parentId', code: 'cycle', params: {}, message: 'would create a cycle' }],
          );
        if (!(await this.orgUnits.exists(input.parentId, m))) throw DomainException.notFound('Parent org unit');
      }
      const before = { name: unit.name, parentId: unit.parentId, countryCodes: unit.countryCodes };
      if (input.name !== undefined) unit.name = input.name;
      if (input.parentId !== undefined) unit.parentId = input.parentId;
      if (input.countryCodes !== undefined) unit.countryCodes = input.countryCodes;
      const saved = await this.orgUnits.save(unit, m);
      await this.audit.append(
        {
          actorId,
          action: 'org_unit.update',
          entityType: 'org_unit',
          entityId: id,
          before,
          after: { name: saved.name, parentId: saved.parentId, countryCodes: saved.countryCodes },
        },
        m,
      );
      return saved;
    });
  }

  private view(user: UserEntity, assignments: RoleAssignmentEntity[]): UserView {
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      language: user.language,
      isActive: user.isActive,
      version: user.version,
      assignments: assignments.map((a) => ({ id: a.id, role: a.role, orgUnitId: a.orgUnitId, donorId: a.donorId })),
    };
  }
}
