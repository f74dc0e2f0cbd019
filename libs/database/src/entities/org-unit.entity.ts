import {
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
import { ORG_UNIT_TYPES, type OrgUnitType } from '../enums.js';

/** An HQ division, regional office or country/programme office (DESIGN.md §1). */
@Entity({ name: 'org_unit' })
export class OrgUnitEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 32 }) code: string;
  @Column({ type: 'varchar', length: 300 }) name: string;
  @Column({ type: 'enum', enum: ORG_UNIT_TYPES, enumName: 'org_unit_type' }) type: OrgUnitType;
  @Column({ type: 'uuid', nullable: true }) parentId: string | null;
  @ManyToOne(() => OrgUnitEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: Relation<OrgUnitEntity> | null;
  /** ISO 3166-1 alpha-2 country codes served by the unit. */
  @Column({ type: 'varchar', length: 2, array: true, default: () => "'{}'" }) countryCodes: string[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}
