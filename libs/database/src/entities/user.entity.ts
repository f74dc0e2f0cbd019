import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { ROLES, type Role } from '../enums.js';
import { DonorEntity } from './donor.entity.js';
import { OrgUnitEntity } from './org-unit.entity.js';

/** A person who signs in. `passwordHash` is an argon2 hash; `email` is stored lower-case. */
@Entity({ name: 'app_user' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 320 }) email: string;
  @Column({ type: 'varchar', length: 200 }) displayName: string;
  /** Preferred language of reports and messages (ISO 639-1: `en` or `fr`); a request's `?lang=` or Accept-Language wins. */
  @Column({ type: 'char', length: 2, default: 'en' }) language: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) passwordHash: string | null;
  @Column({ type: 'boolean', default: true }) isActive: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}

/**
 * A role held by a user over an org unit (and every unit below it), globally (orgUnitId null),
 * or, for donors, over a donor organisation (DESIGN.md §1).
 */
@Entity({ name: 'role_assignment' })
/** Unique (user, role, org unit, donor) with NULLS NOT DISTINCT, created by the migration (TypeORM cannot express it). */
@Index('UQ_role_assignment_scope', { synchronize: false })
@Check(
  'CHK_role_assignment_shape',
  `("role" = 'admin' AND "org_unit_id" IS NULL AND "donor_id" IS NULL) OR ("role" = 'donor' AND "donor_id" IS NOT NULL AND "org_unit_id" IS NULL) OR ("role" IN ('project_manager', 'rbm_focal_point') AND "org_unit_id" IS NOT NULL AND "donor_id" IS NULL)`,
)
export class RoleAssignmentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) userId: string;
  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: Relation<UserEntity>;
  @Column({ type: 'enum', enum: ROLES, enumName: 'role' }) role: Role;
  @Column({ type: 'uuid', nullable: true }) orgUnitId: string | null;
  @ManyToOne(() => OrgUnitEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: Relation<OrgUnitEntity> | null;
  @Column({ type: 'uuid', nullable: true }) donorId: string | null;
  @ManyToOne(() => DonorEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'donor_id' })
  donor?: Relation<DonorEntity> | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
