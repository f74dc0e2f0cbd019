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
import { dateColumn, decimalColumn } from '../column-types.js';
import { MILESTONE_RATINGS, type MilestoneRating, PROVENANCES, type Provenance } from '../enums.js';
import { IndicatorSeriesEntity } from './indicator.entity.js';
import { UserEntity } from './user.entity.js';

/**
 * What was achieved for an indicator over a period (DESIGN.md §4). Belongs to the stable
 * indicator (`indicatorSeriesId`), so it survives revisions. Number: `value`; percentage:
 * `numerator` + `denominator` with `value` = 100·num/den (0–100 scale; imported percentages may
 * hold only `value`); ordinal: `value` is the scale value; qualitative: `text` + `rating`.
 * Imported values keep their own period dates; the value counts in the quarter containing `periodEnd`.
 */
@Check('CHK_actual_dates', '"period_start" <= "period_end"')
@Entity({ name: 'actual' })
@Index(['indicatorSeriesId', 'periodStart', 'periodEnd'], { unique: true })
// (indicator_series_id) INCLUDE (created_at, updated_at), created by migration 1765950000000: the logframe
// read's series stamp as an index-only scan. TypeORM does not model INCLUDE, so it leaves it alone.
@Index('IDX_actual_series_changes', { synchronize: false })
export class ActualEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) indicatorSeriesId: string;
  @ManyToOne(() => IndicatorSeriesEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'indicator_series_id' })
  indicatorSeries?: Relation<IndicatorSeriesEntity>;
  @Column(dateColumn({ nullable: false })) periodStart: string;
  @Column(dateColumn({ nullable: false })) periodEnd: string;
  @Column(decimalColumn()) value: string | null;
  @Column(decimalColumn()) numerator: string | null;
  @Column(decimalColumn()) denominator: string | null;
  @Column({ type: 'text', nullable: true }) text: string | null;
  @Column({ type: 'enum', enum: MILESTONE_RATINGS, enumName: 'milestone_rating', nullable: true })
  rating: MilestoneRating | null;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  @Column({ type: 'varchar', length: 2000, nullable: true }) evidenceUrl: string | null;
  /** The evidence link may be published (IATI export shows only public evidence links). */
  @Column({ type: 'boolean', default: false }) evidencePublic: boolean;
  @Column({ type: 'enum', enum: PROVENANCES, enumName: 'provenance', default: 'entered' }) provenance: Provenance;
  /** For imported values: the raw value and how it was read (e.g. `£3,500,000 read as 3500000 GBP`). */
  @Column({ type: 'text', nullable: true }) sourceNote: string | null;
  @Column({ type: 'uuid', nullable: true }) enteredById: string | null;
  @ManyToOne(() => UserEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'entered_by_id' })
  enteredBy?: Relation<UserEntity> | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}

/** A disaggregated part of an actual (dimension `sex`, category `female`). */
@Entity({ name: 'actual_disaggregation' })
@Index(['actualId', 'dimension', 'category'], { unique: true })
export class ActualDisaggregationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) actualId: string;
  @ManyToOne(() => ActualEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'actual_id' })
  actual?: Relation<ActualEntity>;
  @Column({ type: 'varchar', length: 100 }) dimension: string;
  @Column({ type: 'varchar', length: 200 }) category: string;
  @Column(decimalColumn()) value: string | null;
  @Column(decimalColumn()) numerator: string | null;
  @Column(decimalColumn()) denominator: string | null;
}
