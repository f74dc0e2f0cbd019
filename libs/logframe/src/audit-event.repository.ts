import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditEventEntity } from '#libs/database';

/** One row of the append-only audit trail (DESIGN.md §3): who, what, which record, before/after. */
export interface AuditRecord {
  actorId: string | null;
  /** e.g. `logframe.replace`, `programme.create`, `funding_agreement.delete`. */
  action: string;
  entityType: string;
  entityId: string;
  /** Set for changes that belong to a project. */
  projectId?: string | null;
  before?: unknown;
  after?: unknown;
}

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

/** The one mapping of an audit row (and its actor's email) to its view. */
function toAuditEventView(e: AuditEventEntity, actorEmail: string | null): AuditEventView {
  return {
    id: Number(e.id),
    occurredAt: e.occurredAt.toISOString(),
    actorId: e.actorId,
    actorEmail,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    before: e.before ?? null,
    after: e.after ?? null,
  };
}

/**
 * The audit trail (`audit_event`, append-only: the table refuses UPDATE and DELETE) of the logframe's
 * records and their reference data: repository layer. Writes run on the caller's transaction's manager,
 * so an event commits or rolls back with its change.
 */
@Injectable()
export class AuditEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes one event. */
  async record(event: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(AuditEventEntity).insert({
      actorId: event.actorId,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      projectId: event.projectId ?? null,
      ...(event.before !== undefined ? { before: event.before as object } : {}),
      ...(event.after !== undefined ? { after: event.after as object } : {}),
    });
  }

  /** Every event of a project, oldest first, with the actor's email. */
  async listForProject(projectId: string, manager: EntityManager = this.dataSource.manager): Promise<AuditEventView[]> {
    const rows = await manager
      .getRepository(AuditEventEntity)
      .createQueryBuilder('e')
      .leftJoin('app_user', 'u', 'u.id = e.actor_id')
      .addSelect('u.email', 'actor_email')
      .where('e.project_id = :projectId', { projectId })
      .orderBy('e.id', 'ASC')
      .getRawAndEntities();
    return rows.entities.map((e, i) =>
      toAuditEventView(e, (rows.raw[i] as { actor_email: string | null }).actor_email),
    );
  }
}
