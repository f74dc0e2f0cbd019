import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DonorEntity, type Role, RoleAssignmentEntity, UserEntity } from '#libs/database';

/** A role assignment's scope: the role with its org unit or donor (null where the role takes none). */
export interface AssignmentScope {
  role: Role;
  orgUnitId: string | null;
  donorId: string | null;
}

/** The `app_user` and `role_assignment` tables: users, their passwords (hashes) and role assignments. */
@Injectable()
export class UserRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every user, by email. */
  list(manager: EntityManager = this.dataSource.manager): Promise<UserEntity[]> {
    return manager.getRepository(UserEntity).find({ order: { email: 'ASC' } });
  }

  /** The user with this id, or null. */
  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<UserEntity | null> {
    return manager.getRepository(UserEntity).findOneBy({ id });
  }

  /** The user with this id locked for update, or null. */
  lockById(id: string, manager: EntityManager = this.dataSource.manager): Promise<UserEntity | null> {
    return manager.getRepository(UserEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The user with this (lower-case) email, or null. */
  findByEmail(email: string, manager: EntityManager = this.dataSource.manager): Promise<UserEntity | null> {
    return manager.getRepository(UserEntity).findOneBy({ email });
  }

  /** Whether a user has this id. */
  exists(id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.getRepository(UserEntity).existsBy({ id });
  }

  /** Whether a user has this (lower-case) email. */
  emailTaken(email: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.getRepository(UserEntity).existsBy({ email });
  }

  /** Inserts or updates a user; returns the saved row. */
  save(user: Partial<UserEntity>, manager: EntityManager = this.dataSource.manager): Promise<UserEntity> {
    return manager.getRepository(UserEntity).save(user);
  }

  /**
   * Inserts the user, or on a taken email sets its password hash and active flag (name kept); returns
   * the row.
   */
  async upsertByEmail(
    user: Pick<UserEntity, 'email' | 'displayName' | 'passwordHash' | 'isActive'>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<UserEntity> {
    await manager
      .getRepository(UserEntity)
      .createQueryBuilder()
      .insert()
      .values(user)
      .orUpdate(['password_hash', 'is_active'], ['email'])
      .execute();
    return manager.getRepository(UserEntity).findOneByOrFail({ email: user.email });
  }

  /** Role assignments in creation order: every user's, or one user's. */
  assignments(userId?: string, manager: EntityManager = this.dataSource.manager): Promise<RoleAssignmentEntity[]> {
    return manager
      .getRepository(RoleAssignmentEntity)
      .find({ where: userId === undefined ? {} : { userId }, order: { createdAt: 'ASC' } });
  }

  /** A user's role assignments, unordered (as the database returns them). */
  assignmentsOf(userId: string, manager: EntityManager = this.dataSource.manager): Promise<RoleAssignmentEntity[]> {
    return manager.getRepository(RoleAssignmentEntity).findBy({ userId });
  }

  /** The assignment `id` of user `userId`, or null. */
  findAssignment(
    userId: string,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<RoleAssignmentEntity | null> {
    return manager.getRepository(RoleAssignmentEntity).findOneBy({ id, userId });
  }

  /** Whether the user holds the `admin` role. */
  isAdmin(userId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.getRepository(RoleAssignmentEntity).existsBy({ userId, role: 'admin' });
  }

  /** Whether the user holds exactly this assignment (null org unit or donor matching null). */
  async holds(
    userId: string,
    scope: AssignmentScope,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM role_assignment WHERE user_id = $1 AND role = $2 AND org_unit_id IS NOT DISTINCT FROM $3 AND donor_id IS NOT DISTINCT FROM $4`,
      [userId, scope.role, scope.orgUnitId, scope.donorId],
    );
    return rows.length > 0;
  }

  /** Whether a donor organisation has this id (a donor assignment names one). */
  donorExists(donorId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.getRepository(DonorEntity).existsBy({ id: donorId });
  }

  /** The donor organisation with this IATI organisation identifier, inserted first when none has it. */
  async ensureDonor(
    donor: Pick<DonorEntity, 'name' | 'iatiOrgRef'> & { iatiOrgRef: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<DonorEntity> {
    await manager.getRepository(DonorEntity).createQueryBuilder().insert().values(donor).orIgnore().execute();
    return manager.getRepository(DonorEntity).findOneByOrFail({ iatiOrgRef: donor.iatiOrgRef });
  }

  /** Stores an assignment; returns the saved row. */
  saveAssignment(
    userId: string,
    scope: AssignmentScope,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<RoleAssignmentEntity> {
    return manager.getRepository(RoleAssignmentEntity).save({ userId, ...scope });
  }

  /** Removes an assignment. */
  async deleteAssignment(id: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(RoleAssignmentEntity).delete({ id });
  }

  /**
   * How many admin assignments active users other than `userId` hold, locking those assignments so two
   * concurrent removals of admins cannot both see the other one.
   */
  async lockOtherActiveAdmins(userId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows: unknown[] = await manager.query(
      `SELECT ra.id FROM role_assignment ra JOIN app_user u ON u.id = ra.user_id WHERE ra.role = 'admin' AND u.is_active AND u.id <> $1 FOR UPDATE OF ra`,
      [userId],
    );
    return rows.length;
  }
}
