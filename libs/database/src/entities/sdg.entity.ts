import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';

/** An SDG goal (`16`), from the UN global indicator framework (data/sdg). */
@Entity({ name: 'sdg_goal' })
export class SdgGoalEntity {
  @PrimaryColumn({ type: 'varchar', length: 2 }) code: string;
  @Column({ type: 'text' }) title: string;
}

/** An SDG target (`16.4`, `1.a`: letters lower case). */
@Entity({ name: 'sdg_target' })
export class SdgTargetEntity {
  @PrimaryColumn({ type: 'varchar', length: 8 }) code: string;
  @Index() @Column({ type: 'varchar', length: 2 }) goalCode: string;
  @ManyToOne(() => SdgGoalEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'goal_code' })
  goal?: Relation<SdgGoalEntity>;
  @Column({ type: 'text' }) title: string;
  /** Position within the goal in the official order (numbers before letters). */
  @Column({ type: 'int' }) position: number;
}

/**
 * One listing of an SDG indicator under a target (`16.4.1`). The framework lists 12 indicators
 * under several targets (1.5.1 = 11.5.1 = 13.1.1): each listing is a row with its own code
 * (so a link to 11.5.1 implies target 11.5), and `primaryCode` names the first listing
 * (`1.5.1`), shared by all listings of the same indicator (same `unsdCode`).
 * 251 rows; 235 where `code = primaryCode`.
 */
@Entity({ name: 'sdg_indicator' })
export class SdgIndicatorEntity {
  @PrimaryColumn({ type: 'varchar', length: 12 }) code: string;
  @Index() @Column({ type: 'varchar', length: 8 }) targetCode: string;
  @ManyToOne(() => SdgTargetEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'target_code' })
  target?: Relation<SdgTargetEntity>;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'varchar', length: 20, nullable: true }) unsdCode: string | null;
  @Index() @Column({ type: 'varchar', length: 12 }) primaryCode: string;
  @Column({ type: 'int' }) position: number;
}
