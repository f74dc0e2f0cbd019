import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainException, ErrorCode } from '#libs/common';
import {
  AuditEventEntity,
  DonorEntity,
  OrgUnitEntity,
  type OrgUnitType,
  type Role,
  RoleAssignmentEntity,
  UserEntity,
} from '#libs/database';
import { AuthService } from './auth.service.js';

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
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<UserView[]> {
    const users = await this.dataSource.getRepository(UserEntity).find({ order: { email: 'ASC' } });
    const assignments = await this.dataSource.getRepository(RoleAssignmentEntity).find({ order: { createdAt: 'ASC' } });
    return users.map((u) =>
      this.view(
        u,
        assignments.filter((a) => a.userId === u.id),
      ),
    );
  }

  /** @throws DomainException not_found */
  async get(id: string): Promise<UserView> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id });
    if (!user) throw DomainException.notFound('User');
    return this.view(
      user,
      await this.dataSource
        .getRepository(RoleAssignmentEntity)
        .find({ where: { userId: id }, order: { createdAt: 'ASC' } }),
    );
  }

  /** @throws DomainException conflict when the email is taken */
  async create(
    input: { email: string; displayName: string; password: string },
    actorId: string | null,
  ): Promise<UserView> {
    const email = input.email.trim().toLowerCase();
    return this.dataSource.transaction(async (m) => {
      if (await m.getRepository(UserEntity).existsBy({ email }))
        throw DomainException.conflict(ErrorCode.DUPLICATE, `A user with email '${email}' already exists`, [
          { path: 'email', code: 'already_used', params: {}, message: 'is already used' },
        ]);
      const user = await m.getRepository(UserEntity).save({
        email,
        displayName: input.displayName.trim(),
        passwordHash: await AuthService.hashPassword(input.password),
        isActive: true,
      });
      await m.getRepository(AuditEventEntity).insert({
        actorId,
        action: 'user.create',
        entityType: 'user',
        entityId: user.id,
        after: { email, displayName: user.displayName },
      });
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
    return this.dataSource.transaction(async (m) => {
      const user = await m.getRepository(UserEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw DomainException.notFound('User');
      if (user.version !== input.version)
        throw DomainException.staleVersion(
          `User was changed by someone else (version ${user.version}, yours ${input.version}); reload and try again`,
          user.version,
          input.version,
        );
      if (
        input.isActive === false &&
        user.isActive &&
        (await m.getRepository(RoleAssignmentEntity).existsBy({ userId: id, role: 'admin' }))
      )
        await this.keepOneAdmin(m, id);
      const before = { displayName: user.displayName, isActive: user.isActive, language: user.language };
      if (input.displayName !== undefined) user.displayName = input.displayName.trim();
      if (input.isActive !== undefined) user.isActive = input.isActive;
      if (input.language !== undefined) user.language = input.language;
      if (input.password !== undefined) user.passwordHash = await AuthService.hashPassword(input.password);
      const saved = await m.getRepository(UserEntity).save(user);
      if (input.isActive === false || input.password !== undefined)
        await m.query(`UPDATE auth_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [id]);
      await m.getRepository(AuditEventEntity).insert({
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
      });
      return this.view(saved, await m.getRepository(RoleAssignmentEntity).findBy({ userId: id }));
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
    return this.dataSource.transaction(async (m) => {
      if (!(await m.getRepository(UserEntity).existsBy({ id: userId }))) throw DomainException.notFound('User');
      if (orgUnitId && !(await m.getRepository(OrgUnitEntity).existsBy({ id: orgUnitId })))
        throw DomainException.notFound('Org unit');
      if (donorId && !(await m.getRepository(DonorEntity).existsBy({ id: donorId })))
        throw DomainException.notFound('Donor');
      const exists = await m.query(
        `SELECT 1 FROM role_assignment WHERE user_id = $1 AND role = $2 AND org_unit_id IS NOT DISTINCT FROM $3 AND donor_id IS NOT DISTINCT FROM $4`,
        [userId, input.role, orgUnitId, donorId],
      );
      if (exists.length) throw DomainException.conflict(ErrorCode.DUPLICATE, 'The user already holds this assignment');
      const saved = await m.getRepository(RoleAssignmentEntity).save({ userId, role: input.role, orgUnitId, donorId });
      await m.getRepository(AuditEventEntity).insert({
        actorId,
        action: 'user.assign',
        entityType: 'role_assignment',
        entityId: saved.id,
        after: { userId, role: input.role, orgUnitId, donorId },
      });
    });
  }

  /** Removes a role assignment. @throws DomainException not_found */
  async unassign(userId: string, assignmentId: string, actorId: string | null): Promise<UserView> {
    await this.dataSource.transaction(async (m) => {
      const assignment = await m.getRepository(RoleAssignmentEntity).findOneBy({ id: assignmentId, userId });
      if (!assignment) throw DomainException.notFound('Role assignment');
      if (assignment.role === 'admin') await this.keepOneAdmin(m, userId);
      await m.getRepository(RoleAssignmentEntity).delete({ id: assignmentId });
      await m.getRepository(AuditEventEntity).insert({
        actorId,
        action: 'user.unassign',
        entityType: 'role_assignment',
        entityId: assignmentId,
        before: { userId, role: assignment.role, orgUnitId: assignment.orgUnitId, donorId: assignment.donorId },
      });
    });
    return this.get(userId);
  }

  /**
   * Refuses a change that would leave no active admin (only the database could then recover).
   * Locks the admin assignments so two concurrent removals cannot both pass.
   * @throws DomainException conflict
   */
  private async keepOneAdmin(m: EntityManager, losingUserId: string): Promise<void> {
    const others: unknown[] = await m.query(
      `SELECT ra.id FROM role_assignment ra JOIN app_user u ON u.id = ra.user_id WHERE ra.role = 'admin' AND u.is_active AND u.id <> $1 FOR UPDATE OF ra`,
      [losingUserId],
    );
    if (others.length === 0)
      throw DomainException.conflict(
        ErrorCode.LAST_ADMIN,
        'This is the last active admin: give another user the admin role first',
      );
  }

  /** Creates an org unit under an optional parent. @throws DomainException conflict (code taken), not_found (parent) */
  async createOrgUnit(
    input: { code: string; name: string; type: OrgUnitType; parentId?: string | null; countryCodes?: string[] },
    actorId: string | null,
  ): Promise<OrgUnitEntity> {
    return this.dataSource.transaction(async (m) => {
      const [taken] = await m.query(`SELECT code FROM org_unit WHERE lower(code) = lower($1)`, [input.code]);
      if (taken)
        throw DomainException.conflict(ErrorCode.DUPLICATE, `Org unit code '${input.code}' is already used`, [
          { path: 'code', code: 'already_used', params: {}, message: 'is already used' },
        ]);
      if (input.parentId && !(await m.getRepository(OrgUnitEntity).existsBy({ id: input.parentId })))
        throw DomainException.notFound('Parent org unit');
      const unit = await m.getRepository(OrgUnitEntity).save({
        code: input.code,
        name: input.name,
        type: input.type,
        parentId: input.parentId ?? null,
        countryCodes: input.countryCodes ?? [],
      });
      await m.getRepository(AuditEventEntity).insert({
        actorId,
        action: 'org_unit.create',
        entityType: 'org_unit',
        entityId: unit.id,
        after: { code: unit.code, name: unit.name, type: unit.type, parentId: unit.parentId },
      });
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
    return this.dataSource.transaction(async (m) => {
      const unit = await m.getRepository(OrgUnitEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!unit) throw DomainException.notFound('Org unit');
      if (unit.version !== input.version)
        throw DomainException.staleVersion(
          `Org unit was changed by someone else (version ${unit.version}, yours ${input.version}); reload and try again`,
          unit.version,
          input.version,
        );
      if (input.parentId) {
        const [cycle] = await m.query(
          `WITH RECURSIVE below(id) AS (SELECT $1::uuid UNION SELECT o.id FROM org_unit o JOIN below b ON o.parent_id = b.id) SELECT 1 AS hit FROM below WHERE id = $2`,
          [id, input.parentId],
        );
        if (cycle)
          throw DomainException.unprocessable(
            ErrorCode.RULE_VIOLATED,
            'An org unit cannot be placed under itself or one of its own units',
            [{ path: 'parentId', code: 'cycle', params: {}, message: 'would create a cycle' }],
          );
        if (!(await m.getRepository(OrgUnitEntity).existsBy({ id: input.parentId })))
          throw DomainException.notFound('Parent org unit');
      }
      const before = { name: unit.name, parentId: unit.parentId, countryCodes: unit.countryCodes };
      if (input.name !== undefined) unit.name = input.name;
      if (input.parentId !== undefined) unit.parentId = input.parentId;
      if (input.countryCodes !== undefined) unit.countryCodes = input.countryCodes;
      const saved = await m.getRepository(OrgUnitEntity).save(unit);
      await m.getRepository(AuditEventEntity).insert({
        actorId,
        action: 'org_unit.update',
        entityType: 'org_unit',
        entityId: id,
        before,
        after: { name: saved.name, parentId: saved.parentId, countryCodes: saved.countryCodes },
      });
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
