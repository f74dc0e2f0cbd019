import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditEventEntity } from '#libs/database';

/** One audit event to append (DESIGN.md §3): who did what to which entity, with the state before and after. */
export type AuditRecord = Pick<AuditEventEntity, 'actorId' | 'action' | 'entityType' | 'entityId'> & {
  projectId?: string | null;
  /** The state before the change (JSON). */
  before?: Record<string, unknown>;
  /** The state after the change (JSON). */
  after?: Record<string, unknown>;
};

/** Appends to the `audit_event` table (append-only: the migration refuses UPDATE and DELETE). */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends one event, in the caller's transaction. */
  async append(event: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(AuditEventEntity).insert(event);
  }
}
