import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { type AuthUser, PolicyService } from '#libs/auth';
import { type AuditEventView, AuditEventRepository } from '#libs/logframe';

/** Reads the append-only audit trail of a project (the table refuses UPDATE and DELETE). */
@Injectable()
export class AuditTrailService {
  constructor(
    private readonly events: AuditEventRepository,
    private readonly policy: PolicyService,
  ) {}

  /** Every event of a project, oldest first, for `user` (policy `audit.read`). */
  async list(user: AuthUser, projectId: string): Promise<AuditEventView[]> {
    await this.policy.authorizeProject(user, 'audit.read', projectId);
    return this.events.listForProject(projectId);
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
