import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { SDG_CONTRIBUTIONS, type SdgContribution } from '../enums.js';
import { LogframeRevisionEntity } from './logframe-revision.entity.js';
import { OutcomeEntity, OutputEntity } from './results-chain.entity.js';
import { SdgTargetEntity } from './sdg.entity.js';

/**
 * A link from the project (outcomeId and outputId null), an outcome or an output of a revision
 * to an SDG target, with contribution `primary | secondary` and a rationale (DESIGN.md §2).
 */
@Entity({ name: 'sdg_link' })
/** Unique (revision, outcome, output, SDG target) with NULLS NOT DISTINCT, created by the migration. */
@Index('UQ_sdg_link_element_target', { synchronize: false })
@Index(['revisionId'])
export class SdgLinkEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) revisionId: string;
  @ManyToOne(() => LogframeRevisionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'revision_id' })
  revision?: Relation<LogframeRevisionEntity>;
  @Column({ type: 'uuid', nullable: true }) outcomeId: string | null;
  @ManyToOne(() => OutcomeEntity, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'outcome_id' })
  outcome?: Relation<OutcomeEntity> | null;
  @Column({ type: 'uuid', nullable: true }) outputId: string | null;
  @ManyToOne(() => OutputEntity, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'output_id' })
  output?: Relation<OutputEntity> | null;
  @Index() @Column({ type: 'varchar', length: 8 }) sdgTargetCode: string;
  @ManyToOne(() => SdgTargetEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sdg_target_code' })
  sdgTarget?: Relation<SdgTargetEntity>;
  @Column({ type: 'enum', enum: SDG_CONTRIBUTIONS, enumName: 'sdg_contribution', default: 'secondary' })
  contribution: SdgContribution;
  @Column({ type: 'text', nullable: true }) rationale: string | null;
  /** How the link arose, e.g. `iati:tag`, `iati:sector`, `entered`. */
  @Column({ type: 'varchar', length: 40, default: 'entered' }) source: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
