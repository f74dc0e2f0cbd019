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
} from 'typeorm';
import { dateColumn } from '../column-types.js';
import { LogframeRevisionEntity } from './logframe-revision.entity.js';

/**
 * Results-chain elements of one logframe revision (DESIGN.md §2). Each row belongs to a
 * revision; `stableId` is the element's identity across revisions (what the API calls `id`),
 * so comments, actuals and audit links survive edits and new revisions.
 */
@Entity({ name: 'outcome' })
@Index(['revisionId', 'stableId'], { unique: true })
@Index(['revisionId', 'code'], { unique: true })
export class OutcomeEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) revisionId: string;
  @ManyToOne(() => LogframeRevisionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'revision_id' })
  revision?: Relation<LogframeRevisionEntity>;
  @Column({ type: 'uuid' }) stableId: string;
  /** e.g. `OC1`, unique within the revision. */
  @Column({ type: 'varchar', length: 40 }) code: string;
  @Column({ type: 'text' }) statement: string;
  @Column({ type: 'int', default: 0 }) position: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** An output (`OP1.1`); `outcomeId` is null only in a draft (e.g. after an IATI import: flagged). */
@Entity({ name: 'output' })
@Index(['revisionId', 'stableId'], { unique: true })
@Index(['revisionId', 'code'], { unique: true })
export class OutputEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) revisionId: string;
  @ManyToOne(() => LogframeRevisionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'revision_id' })
  revision?: Relation<LogframeRevisionEntity>;
  @Column({ type: 'uuid' }) stableId: string;
  @Index() @Column({ type: 'uuid', nullable: true }) outcomeId: string | null;
  @ManyToOne(() => OutcomeEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'outcome_id' })
  outcome?: Relation<OutcomeEntity> | null;
  @Column({ type: 'varchar', length: 40 }) code: string;
  @Column({ type: 'text' }) statement: string;
  @Column({ type: 'int', default: 0 }) position: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** An activity (`A1.1.1`) under an output; optional in a logframe. */
@Entity({ name: 'activity' })
@Index(['revisionId', 'stableId'], { unique: true })
@Index(['revisionId', 'code'], { unique: true })
export class ActivityEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) revisionId: string;
  @ManyToOne(() => LogframeRevisionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'revision_id' })
  revision?: Relation<LogframeRevisionEntity>;
  @Column({ type: 'uuid' }) stableId: string;
  @Index() @Column({ type: 'uuid' }) outputId: string;
  @ManyToOne(() => OutputEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'output_id' })
  output?: Relation<OutputEntity>;
  @Column({ type: 'varchar', length: 40 }) code: string;
  @Column({ type: 'text' }) description: string;
  @Column(dateColumn()) startDate: string | null;
  @Column(dateColumn()) endDate: string | null;
  @Column({ type: 'int', default: 0 }) position: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
