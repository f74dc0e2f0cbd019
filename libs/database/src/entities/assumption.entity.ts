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
import { ASSUMPTION_KINDS, type AssumptionKind, LIKELIHOODS, type Likelihood } from '../enums.js';
import { LogframeRevisionEntity } from './logframe-revision.entity.js';
import { ProjectEntity } from './project.entity.js';
import { OutcomeEntity, OutputEntity } from './results-chain.entity.js';
import { UserEntity } from './user.entity.js';

/** An assumption or risk on the project (no outcome/output), an outcome or an output. */
@Entity({ name: 'assumption' })
@Index(['revisionId', 'stableId'], { unique: true })
export class AssumptionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) revisionId: string;
  @ManyToOne(() => LogframeRevisionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'revision_id' })
  revision?: Relation<LogframeRevisionEntity>;
  @Column({ type: 'uuid' }) stableId: string;
  @Column({ type: 'uuid', nullable: true }) outcomeId: string | null;
  @ManyToOne(() => OutcomeEntity, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'outcome_id' })
  outcome?: Relation<OutcomeEntity> | null;
  @Column({ type: 'uuid', nullable: true }) outputId: string | null;
  @ManyToOne(() => OutputEntity, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'output_id' })
  output?: Relation<OutputEntity> | null;
  @Column({ type: 'enum', enum: ASSUMPTION_KINDS, enumName: 'assumption_kind', default: 'assumption' })
  kind: AssumptionKind;
  @Column({ type: 'text' }) statement: string;
  @Column({ type: 'enum', enum: LIKELIHOODS, enumName: 'likelihood', nullable: true }) likelihood: Likelihood | null;
  @Column({ type: 'enum', enum: LIKELIHOODS, enumName: 'likelihood', nullable: true }) impact: Likelihood | null;
  @Column({ type: 'text', nullable: true }) mitigation: string | null;
  @Column({ type: 'int', default: 0 }) position: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** The quarterly status update of an assumption/risk (by its stable id). */
@Entity({ name: 'assumption_update' })
@Index(['assumptionStableId', 'year', 'quarter'], { unique: true })
export class AssumptionUpdateEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column({ type: 'uuid' }) projectId: string;
  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Relation<ProjectEntity>;
  @Column({ type: 'uuid' }) assumptionStableId: string;
  @Column({ type: 'smallint' }) year: number;
  @Column({ type: 'smallint' }) quarter: number;
  @Column({ type: 'varchar', length: 40 }) status: string;
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column({ type: 'uuid', nullable: true }) createdById: string | null;
  @ManyToOne(() => UserEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by_id' })
  createdBy?: Relation<UserEntity> | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
