import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

/** A donor organisation; `iatiOrgRef` is its IATI organisation identifier (e.g. `GB-GOV-3`). */
@Entity({ name: 'donor' })
export class DonorEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 300 }) name: string;
  @Index({ unique: true, where: 'iati_org_ref IS NOT NULL' })
  @Column({ type: 'varchar', length: 100, nullable: true })
  iatiOrgRef: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}
