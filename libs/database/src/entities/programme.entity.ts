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
import { dateColumn } from '../column-types.js';
import { PROGRAMME_SCOPES, type ProgrammeScope } from '../enums.js';
import { OrgUnitEntity } from './org-unit.entity.js';

/** A programme (e.g. `GLOT59`) grouping projects (DESIGN.md §2). Dates are `YYYY-MM-DD`. */
@Entity({ name: 'programme' })
export class ProgrammeEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 32 }) code: string;
  @Column({ type: 'varchar', length: 500 }) title: string;
  @Column({ type: 'enum', enum: PROGRAMME_SCOPES, enumName: 'programme_scope' }) scope: ProgrammeScope;
  @Column({ type: 'uuid' }) orgUnitId: string;
  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: Relation<OrgUnitEntity>;
  @Column(dateColumn()) startDate: string | null;
  @Column(dateColumn()) endDate: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}
