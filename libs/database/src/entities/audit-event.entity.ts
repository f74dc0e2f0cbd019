import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only audit trail (DESIGN.md §3): who did what, when, with the before/after state.
 * The migration revokes UPDATE and DELETE through a trigger; nothing in the API rewrites it.
 */
@Entity({ name: 'audit_event' })
export class AuditEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: number;
  @Index() @Column({ type: 'uuid', nullable: true }) projectId: string | null;
  @Column({ type: 'uuid', nullable: true }) actorId: string | null;
  /** e.g. `iati.import`, `logframe.replace`, `revision.approve`. */
  @Column({ type: 'varchar', length: 60 }) action: string;
  @Column({ type: 'varchar', length: 60 }) entityType: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) entityId: string | null;
  @Column({ type: 'jsonb', nullable: true }) before: unknown;
  @Column({ type: 'jsonb', nullable: true }) after: unknown;
  @CreateDateColumn({ type: 'timestamptz' }) occurredAt: Date;
}
