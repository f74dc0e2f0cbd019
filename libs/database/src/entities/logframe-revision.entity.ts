import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { REVISION_STATUSES, type RevisionStatus } from '../enums.js';
import { ProjectEntity } from './project.entity.js';
import { UserEntity } from './user.entity.js';

/**
 * A numbered revision of a project's logframe (DESIGN.md §3). The latest revision is the
 * working copy; targets belong to the revision, actuals to the stable indicator.
 * On approval `snapshot` holds the canonical JSON (sorted keys, stable ids, decimals as strings)
 * and `snapshotSha256` its SHA-256 (hex).
 */
@Entity({ name: 'logframe_revision' })
@Index(['projectId', 'number'], { unique: true })
export class LogframeRevisionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) projectId: string;
  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Relation<ProjectEntity>;
  /** 1, 2, ... per project. */
  @Column({ type: 'int' }) number: number;
  @Column({ type: 'enum', enum: REVISION_STATUSES, enumName: 'revision_status', default: 'draft' })
  status: RevisionStatus;
  /** Why revision n+1 was opened from approved n. */
  @Column({ type: 'text', nullable: true }) justification: string | null;
  @Column({ type: 'uuid', nullable: true }) basedOnRevisionId: string | null;
  @ManyToOne(() => LogframeRevisionEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'based_on_revision_id' })
  basedOnRevision?: Relation<LogframeRevisionEntity> | null;
  @Column({ type: 'uuid', nullable: true }) submittedById: string | null;
  @ManyToOne(() => UserEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'submitted_by_id' })
  submittedBy?: Relation<UserEntity> | null;
  @Column({ type: 'timestamptz', nullable: true }) submittedAt: Date | null;
  @Column({ type: 'uuid', nullable: true }) approvedById: string | null;
  @ManyToOne(() => UserEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'approved_by_id' })
  approvedBy?: Relation<UserEntity> | null;
  @Column({ type: 'timestamptz', nullable: true }) approvedAt: Date | null;
  /** Checklist result stored with the submission (warnings shown to the reviewer). */
  @Column({ type: 'jsonb', nullable: true }) checklist: unknown;
  @Column({ type: 'jsonb', nullable: true }) snapshot: unknown;
  @Column({ type: 'char', length: 64, nullable: true }) snapshotSha256: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}

/** Everyone who edited a revision: none of them may approve it (four eyes, DESIGN.md §3). */
@Entity({ name: 'logframe_revision_editor' })
export class LogframeRevisionEditorEntity {
  @PrimaryColumn({ type: 'uuid' }) revisionId: string;
  @ManyToOne(() => LogframeRevisionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'revision_id' })
  revision?: Relation<LogframeRevisionEntity>;
  @PrimaryColumn({ type: 'uuid' }) userId: string;
  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' }) @JoinColumn({ name: 'user_id' }) user?: Relation<UserEntity>;
  @CreateDateColumn({ type: 'timestamptz' }) firstEditedAt: Date;
}
