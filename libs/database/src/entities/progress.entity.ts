import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import {
  ELEMENT_TYPES,
  type ElementType,
  OUTCOME_RATINGS,
  type OutcomeRating,
  PROGRESS_STATUSES,
  type ProgressStatus,
} from '../enums.js';
import { IndicatorSeriesEntity } from './indicator.entity.js';
import { LogframeRevisionEntity } from './logframe-revision.entity.js';
import { ProjectEntity } from './project.entity.js';
import { UserEntity } from './user.entity.js';

/**
 * A project's quarterly progress (DESIGN.md §4): `draft → submitted → validated | returned`;
 * a validated quarter may be reopened with a reason (a restatement, `restated` true).
 */
@Check('CHK_progress_report_quarter', '"quarter" BETWEEN 1 AND 4')
@Entity({ name: 'progress_report' })
@Index(['projectId', 'year', 'quarter'], { unique: true })
export class ProgressReportEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) projectId: string;
  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Relation<ProjectEntity>;
  @Column({ type: 'smallint' }) year: number;
  /** 1–4 (Q1 = January–March). */
  @Column({ type: 'smallint' }) quarter: number;
  @Column({ type: 'enum', enum: PROGRESS_STATUSES, enumName: 'progress_status', default: 'draft' })
  status: ProgressStatus;
  @Column({ type: 'uuid', nullable: true }) submittedById: string | null;
  @ManyToOne(() => UserEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'submitted_by_id' })
  submittedBy?: Relation<UserEntity> | null;
  @Column({ type: 'timestamptz', nullable: true }) submittedAt: Date | null;
  @Column({ type: 'uuid', nullable: true }) validatedById: string | null;
  @ManyToOne(() => UserEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'validated_by_id' })
  validatedBy?: Relation<UserEntity> | null;
  @Column({ type: 'timestamptz', nullable: true }) validatedAt: Date | null;
  @Column({ type: 'text', nullable: true }) reopenReason: string | null;
  @Column({ type: 'boolean', default: false }) restated: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}

/** The manager's rating of an outcome (by stable id) in a quarter, with a justification. */
@Entity({ name: 'outcome_rating' })
@Index(['progressReportId', 'outcomeStableId'], { unique: true })
export class OutcomeRatingEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) progressReportId: string;
  @ManyToOne(() => ProgressReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'progress_report_id' })
  progressReport?: Relation<ProgressReportEntity>;
  @Column({ type: 'uuid' }) outcomeStableId: string;
  @Column({ type: 'enum', enum: OUTCOME_RATINGS, enumName: 'outcome_rating_value' }) rating: OutcomeRating;
  @Column({ type: 'text' }) justification: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/**
 * The quarterly narrative of a project's quarter (DESIGN.md §4, issue 12): what donors read first.
 * Saved as a versioned draft with `PUT /projects/:id/progress/:year/:quarter/narrative`; `version`
 * counts saves of the draft (ratings, explanations, assumption updates and these texts), so a stale
 * save answers 409. Texts are null until written.
 */
@Entity({ name: 'progress_narrative' })
export class ProgressNarrativeEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_progress_narrative' }) progressReportId: string;
  @OneToOne(() => ProgressReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'progress_report_id', foreignKeyConstraintName: 'FK_progress_narrative_progress_report' })
  progressReport?: Relation<ProgressReportEntity>;
  @Column({ type: 'text', nullable: true }) progressSummary: string | null;
  @Column({ type: 'text', nullable: true }) challenges: string | null;
  @Column({ type: 'text', nullable: true }) lessonsLearned: string | null;
  @Column({ type: 'text', nullable: true }) nextQuarter: string | null;
  /** Saves of the quarter's draft story (1 after the first save). */
  @Column({ type: 'int' }) version: number;
  @Column({ type: 'uuid', nullable: true }) updatedById: string | null;
  @ManyToOne(() => UserEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'updated_by_id', foreignKeyConstraintName: 'FK_progress_narrative_updated_by' })
  updatedBy?: Relation<UserEntity> | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** Explanation of variance for an indicator whose status is at risk or off track in a quarter. */
@Entity({ name: 'variance_explanation' })
@Index(['progressReportId', 'indicatorSeriesId'], { unique: true })
export class VarianceExplanationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) progressReportId: string;
  @ManyToOne(() => ProgressReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'progress_report_id' })
  progressReport?: Relation<ProgressReportEntity>;
  @Column({ type: 'uuid' }) indicatorSeriesId: string;
  @ManyToOne(() => IndicatorSeriesEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'indicator_series_id' })
  indicatorSeries?: Relation<IndicatorSeriesEntity>;
  @Column({ type: 'text' }) explanation: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/**
 * A reviewer's comment on a logframe revision or a quarter's progress, optionally pointing at an
 * element by stable id (it stays attached across revisions).
 */
@Entity({ name: 'review_comment' })
export class ReviewCommentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column({ type: 'uuid' }) projectId: string;
  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Relation<ProjectEntity>;
  @Column({ type: 'uuid', nullable: true }) revisionId: string | null;
  @ManyToOne(() => LogframeRevisionEntity, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'revision_id' })
  revision?: Relation<LogframeRevisionEntity> | null;
  @Column({ type: 'uuid', nullable: true }) progressReportId: string | null;
  @ManyToOne(() => ProgressReportEntity, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'progress_report_id' })
  progressReport?: Relation<ProgressReportEntity> | null;
  @Column({ type: 'enum', enum: ELEMENT_TYPES, enumName: 'element_type', nullable: true })
  elementType: ElementType | null;
  @Column({ type: 'uuid', nullable: true }) elementStableId: string | null;
  @Column({ type: 'uuid' }) authorId: string;
  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id' })
  author?: Relation<UserEntity>;
  @Column({ type: 'text' }) body: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
