import {
  Check,
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
import { dateColumn, decimalColumn } from '../column-types.js';
import {
  AGGREGATIONS,
  type Aggregation,
  COLLECTION_FREQUENCIES,
  type CollectionFrequency,
  DIRECTIONS,
  type Direction,
  INDICATOR_LEVELS,
  type IndicatorLevel,
  MEASURES,
  type Measure,
} from '../enums.js';
import { LogframeRevisionEntity } from './logframe-revision.entity.js';
import { ProjectEntity } from './project.entity.js';
import { OutcomeEntity, OutputEntity } from './results-chain.entity.js';
import { SdgIndicatorEntity } from './sdg.entity.js';
import { UserEntity } from './user.entity.js';

/**
 * An organisation-wide corporate indicator that project indicators may map to; roll-ups
 * combine values only across indicators mapped to the same standard indicator (DESIGN.md §5).
 */
@Entity({ name: 'standard_indicator' })
export class StandardIndicatorEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 40 }) code: string;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text', nullable: true }) definition: string | null;
  @Column({ type: 'enum', enum: MEASURES, enumName: 'measure' }) measure: Measure;
  @Column({ type: 'varchar', length: 100, nullable: true }) unit: string | null;
  @Column({ type: 'boolean', default: true }) isActive: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @VersionColumn() version: number;
}

/**
 * The stable identity of an indicator across logframe revisions (DESIGN.md §2, Identity):
 * actuals belong to it, so they survive edits and revisions. An indicator with actuals is
 * retired (with a reason), never deleted.
 */
@Entity({ name: 'indicator_series' })
export class IndicatorSeriesEntity {
  /** The indicator's stable id (what the API calls the indicator `id`). */
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Index() @Column({ type: 'uuid' }) projectId: string;
  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Relation<ProjectEntity>;
  @Column({ type: 'timestamptz', nullable: true }) retiredAt: Date | null;
  @Column({ type: 'text', nullable: true }) retiredReason: string | null;
  @Column({ type: 'uuid', nullable: true }) retiredById: string | null;
  @ManyToOne(() => UserEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'retired_by_id' })
  retiredBy?: Relation<UserEntity> | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** An ordinal scale, e.g. `{ min: 1, max: 5, labels: { "1": "none", "5": "fully in place" } }`. */
export interface OrdinalScale {
  min: string;
  max: string;
  labels?: Record<string, string>;
}

/** A flag raised for review (e.g. an importer's inference): `{ code, message }`. */
export interface ReviewFlag {
  code: string;
  message: string;
}

/**
 * An indicator as defined in one revision (DESIGN.md §2). Attached to an outcome, an output, or
 * (level `impact`) the project. Values are exact decimal strings; percentages on a 0–100 scale.
 * `measure`, `unit`, `aggregation`, `direction` and `definition` define the series and are
 * locked once actuals exist. `iatiMeasure` keeps the original IATI 2.03 `indicator/@measure`.
 */
@Entity({ name: 'indicator' })
@Index(['revisionId', 'stableId'], { unique: true })
@Index(['revisionId', 'code'], { unique: true })
export class IndicatorEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) revisionId: string;
  @ManyToOne(() => LogframeRevisionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'revision_id' })
  revision?: Relation<LogframeRevisionEntity>;
  @Index() @Column({ type: 'uuid' }) stableId: string;
  @ManyToOne(() => IndicatorSeriesEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'stable_id' })
  series?: Relation<IndicatorSeriesEntity>;
  @Column({ type: 'enum', enum: INDICATOR_LEVELS, enumName: 'indicator_level' }) level: IndicatorLevel;
  @Index() @Column({ type: 'uuid', nullable: true }) outcomeId: string | null;
  @ManyToOne(() => OutcomeEntity, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'outcome_id' })
  outcome?: Relation<OutcomeEntity> | null;
  @Index() @Column({ type: 'uuid', nullable: true }) outputId: string | null;
  @ManyToOne(() => OutputEntity, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'output_id' })
  output?: Relation<OutputEntity> | null;
  @Column({ type: 'varchar', length: 40 }) code: string;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text', nullable: true }) definition: string | null;
  @Column({ type: 'enum', enum: MEASURES, enumName: 'measure' }) measure: Measure;
  @Column({ type: 'smallint', nullable: true }) iatiMeasure: number | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) unit: string | null;
  @Column({ type: 'enum', enum: DIRECTIONS, enumName: 'direction', default: 'increase' }) direction: Direction;
  @Column({ type: 'enum', enum: AGGREGATIONS, enumName: 'aggregation', default: 'sum' }) aggregation: Aggregation;
  @Column({ type: 'jsonb', nullable: true }) ordinalScale: OrdinalScale | null;
  @Column(decimalColumn()) baselineValue: string | null;
  @Column(decimalColumn()) baselineNumerator: string | null;
  @Column(decimalColumn()) baselineDenominator: string | null;
  @Column({ type: 'smallint', nullable: true }) baselineYear: number | null;
  @Column(dateColumn()) baselineDate: string | null;
  @Column({ type: 'text', nullable: true }) baselineComment: string | null;
  /** Set when the baseline is "not available": why, and the date by which it will be set. */
  @Column({ type: 'text', nullable: true }) baselineNotAvailableReason: string | null;
  @Column(dateColumn()) baselineDueDate: string | null;
  @Column(decimalColumn()) endTargetValue: string | null;
  @Column(decimalColumn()) endTargetNumerator: string | null;
  @Column(decimalColumn()) endTargetDenominator: string | null;
  /** Qualitative indicators: the described end state. */
  @Column({ type: 'text', nullable: true }) endTargetDescription: string | null;
  @Column({ type: 'text', nullable: true }) meansOfVerification: string | null;
  @Column({ type: 'text', nullable: true }) dataSource: string | null;
  @Column({ type: 'enum', enum: COLLECTION_FREQUENCIES, enumName: 'collection_frequency', nullable: true })
  collectionFrequency: CollectionFrequency | null;
  /** Disaggregation categories required, e.g. `['sex', 'age']`. */
  @Column({ type: 'varchar', length: 40, array: true, default: () => "'{}'" }) requiredDisaggregations: string[];
  @Column({ type: 'uuid', nullable: true }) standardIndicatorId: string | null;
  @ManyToOne(() => StandardIndicatorEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'standard_indicator_id' })
  standardIndicator?: Relation<StandardIndicatorEntity> | null;
  /** One SDG indicator (`16.4.1`); implies its SDG target. */
  @Column({ type: 'varchar', length: 12, nullable: true }) sdgIndicatorCode: string | null;
  @ManyToOne(() => SdgIndicatorEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sdg_indicator_code' })
  sdgIndicator?: Relation<SdgIndicatorEntity> | null;
  /** Review flags, e.g. an aggregation or end target inferred by the importer. */
  @Column({ type: 'jsonb', default: () => "'[]'" }) flags: ReviewFlag[];
  @Column({ type: 'int', default: 0 }) position: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/**
 * A period target (milestone) of an indicator in one revision. Percentages may carry
 * numerator/denominator; `value` is then 100·numerator/denominator (0–100 scale).
 */
@Check('CHK_period_target_dates', '"period_start" <= "period_end"')
@Entity({ name: 'period_target' })
@Index(['indicatorId', 'periodStart', 'periodEnd'], { unique: true })
export class PeriodTargetEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) indicatorId: string;
  @ManyToOne(() => IndicatorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'indicator_id' })
  indicator?: Relation<IndicatorEntity>;
  @Column(dateColumn({ nullable: false })) periodStart: string;
  @Column(dateColumn({ nullable: false })) periodEnd: string;
  @Column(decimalColumn()) value: string | null;
  @Column(decimalColumn()) numerator: string | null;
  @Column(decimalColumn()) denominator: string | null;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** A disaggregated period target (e.g. dimension `sex`, category `female`). */
@Entity({ name: 'period_target_disaggregation' })
@Index(['periodTargetId', 'dimension', 'category'], { unique: true })
export class PeriodTargetDisaggregationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) periodTargetId: string;
  @ManyToOne(() => PeriodTargetEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'period_target_id' })
  periodTarget?: Relation<PeriodTargetEntity>;
  @Column({ type: 'varchar', length: 100 }) dimension: string;
  @Column({ type: 'varchar', length: 200 }) category: string;
  @Column(decimalColumn()) value: string | null;
  @Column(decimalColumn()) numerator: string | null;
  @Column(decimalColumn()) denominator: string | null;
}
