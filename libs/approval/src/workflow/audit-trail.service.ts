import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '#libs/database';

/** One audit event as read: who (id and email), when, what, before/after. */
export interface AuditEventView {
  id: number;
  occurredAt: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

/** Reads the append-only audit trail of a project (the table refuses UPDATE and DELETE). */
@Injectable()
export class AuditTrailService {
  constructor(private readonly dataSource: DataSource) {}

  /** Every event of a project, oldest first. */
  async list(projectId: string): Promise<AuditEventView[]> {
    const rows = await this.dataSource
      .getRepository(AuditEventEntity)
      .createQueryBuilder('e')
      .leftJoin('app_user', 'u', 'u.id = e.actor_id')
      .addSelect('u.email', 'actor_email')
      .where('e.project_id = :projectId', { projectId })
      .orderBy('e.id', 'ASC')
      .getRawAndEntities();
    return rows.entities.map((e, i) => ({
      id: Number(e.id),
      occurredAt: e.occurredAt.toISOString(),
      actorId: e.actorId,
      actorEmail: (rows.raw[i] as { actor_email: string | null }).actor_email,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      before: e.before ?? null,
      after: e.after ?? null,
    }));
  }

  /** The same events as CSV (before/after as JSON text). */
  toCsv(events: AuditEventView[]): string {
    return stringify(
      events.map((e) => [
        e.id,
        e.occurredAt,
        e.actorEmail ?? e.actorId ?? '',
        e.action,
        e.entityType,
        e.entityId ?? '',
        e.before === null ? '' : JSON.stringify(e.before),
        e.after === null ? '' : JSON.stringify(e.after),
      ]),
      {
        header: true,
        columns: ['id', 'occurred_at', 'actor', 'action', 'entity_type', 'entity_id', 'before', 'after'],
      },
    );
  }
}
