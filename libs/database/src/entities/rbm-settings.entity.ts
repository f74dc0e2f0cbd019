import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { decimalColumn } from '../column-types.js';

/**
 * Organisation settings, versioned: the row with the highest `version` is in force and each
 * report records the version it used. Thresholds are percents of achievement (0–100 scale):
 * off_track < atRiskFrom ≤ at_risk < onTrackFrom ≤ on_track ≤ exceededAbove < exceeded
 * (DESIGN.md §5 defaults 50 / 85 / 115). `validationCutoffDays`: days after quarter end at
 * which quarterly reports run (default 30). `blockingChecks`: optional QA checks that block.
 */
@Entity({ name: 'rbm_settings' })
export class RbmSettingsEntity {
  @PrimaryColumn({ type: 'int' }) version: number;
  @Column(decimalColumn({ nullable: false })) atRiskFrom: string;
  @Column(decimalColumn({ nullable: false })) onTrackFrom: string;
  @Column(decimalColumn({ nullable: false })) exceededAbove: string;
  @Column({ type: 'int', default: 30 }) validationCutoffDays: number;
  @Column({ type: 'jsonb', default: () => "'[]'" }) blockingChecks: string[];
  @Column({ type: 'uuid', nullable: true }) createdById: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
