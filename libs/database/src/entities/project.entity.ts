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
import { dateColumn, decimalColumn } from '../column-types.js';
import { PROVENANCES, type Provenance } from '../enums.js';
import { DonorEntity } from './donor.entity.js';
import { OrgUnitEntity } from './org-unit.entity.js';
import { ProgrammeEntity } from './programme.entity.js';
import { UserEntity } from './user.entity.js';

/**
 * A project (DESIGN.md §2). `budgetAmount` is an exact decimal string in `budgetCurrency`
 * (ISO 4217). `genderMarker` is the UN gender equality marker 0–3; `lnobGroups` are
 * "leave no one behind" target groups. `iatiIdentifier` is set for imported projects.
 */
@Entity({ name: 'project' })
export class ProjectEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 200 }) code: string;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'uuid', nullable: true }) programmeId: string | null;
  @ManyToOne(() => ProgrammeEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'programme_id' })
  programme?: Relation<ProgrammeEntity> | null;
  @Column({ type: 'uuid' }) orgUnitId: string;
  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: Relation<OrgUnitEntity>;
  /** ISO 3166-1 alpha-2 codes. */
  @Column({ type: 'varchar', length: 2, array: true, default: () => "'{}'" }) countries: string[];
  @Column(dateColumn()) startDate: string | null;
  @Column(dateColumn()) endDate: string | null;
  @Column(decimalColumn()) budgetAmount: string | null;
  @Column({ type: 'char', length: 3, nullable: true }) budgetCurrency: string | null;
  @Column({ type: 'text', nullable: true }) theoryOfChange: string | null;
  /** UN gender equality marker 0–3 (IATI policy-marker 1 significance). */
  @Column({ type: 'smallint', nullable: true }) genderMarker: number | null;
  @Column({ type: 'smallint', nullable: true }) humanRightsMarker: number | null;
  @Column({ type: 'varchar', length: 40, array: true, default: () => "'{}'" }) lnobGroups: string[];
  @Column({ type: 'enum', enum: PROVENANCES, enumName: 'provenance', default: 'entered' }) provenance: Provenance;
  @Index({ unique: true, where: 'iati_identifier IS NOT NULL' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  iatiIdentifier: string | null;
  /** IATI export: publish this project (off by default); when off, why (e.g. a sensitive project). */
  @Column({ type: 'boolean', default: false }) iatiPublish: boolean;
  @Column({ type: 'text', nullable: true }) iatiExclusionReason: string | null;
  /** Language of entry of the project's texts (ISO 639-1); null: the publisher's default language. */
  @Column({ type: 'char', length: 2, nullable: true }) language: string | null;
  /** OECD DAC 5-digit purpose code (IATI Sector vocabulary 1), from the shipped codelist. */
  @Column({ type: 'varchar', length: 5, nullable: true }) dacSectorCode: string | null;
  @Column({ type: 'uuid', nullable: true }) createdById: string | null;
  @ManyToOne(() => UserEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_id' })
  createdBy?: Relation<UserEntity> | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}

/** A donor's funding of a project: exact amount in `currency` (ISO 4217) over dates. */
@Entity({ name: 'funding_agreement' })
@Index(['projectId', 'donorId'], { unique: true })
export class FundingAgreementEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) projectId: string;
  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Relation<ProjectEntity>;
  @Index() @Column({ type: 'uuid' }) donorId: string;
  @ManyToOne(() => DonorEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'donor_id' })
  donor?: Relation<DonorEntity>;
  @Column(decimalColumn()) amount: string | null;
  @Column({ type: 'char', length: 3, nullable: true }) currency: string | null;
  @Column(dateColumn()) startDate: string | null;
  @Column(dateColumn()) endDate: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}
