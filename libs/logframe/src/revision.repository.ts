import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { LogframeRevisionEntity } from '#libs/database';

/** A submitted revision awaiting a focal point, as the review inbox lists it (see {@link RevisionRepository.awaitingReview}). */
export interface AwaitingReviewRow {
  projectId: string;
  projectCode: string;
  projectTitle: string;
  revisionNumber: number;
  version: number;
  submittedAt: Date;
  submittedBy: string;
  /** Whole days since the submission. */
  waitingDays: number;
  /** Users who edited the revision (four eyes). */
  editors: string[];
}

interface AwaitingReviewRaw {
  project_id: string;
  code: string;
  title: string;
  number: number;
  version: number;
  submitted_at: Date;
  submitted_by_id: string;
  waiting_days: number;
  editors: string[];
}

/** The one mapping of a raw review-inbox row. */
function toAwaitingReview(r: AwaitingReviewRaw): AwaitingReviewRow {
  return {
    projectId: r.project_id,
    projectCode: r.code,
    projectTitle: r.title,
    revisionNumber: r.number,
    version: r.version,
    submittedAt: r.submitted_at,
    submittedBy: r.submitted_by_id,
    waitingDays: r.waiting_days,
    editors: r.editors,
  };
}

/**
 * Logframe revisions and their editors (`logframe_revision`, `logframe_revision_editor`): repository
 * layer, the only place that queries these tables outside the tree reads of {@link LogframeReader}.
 * Every method runs on `manager` (a transaction's, from TransactionRunner) when given.
 */
@Injectable()
export class RevisionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The latest revision of a project (its working copy), or null. */
  latest(projectId: string, manager: EntityManager = this.dataSource.manager): Promise<LogframeRevisionEntity | null> {
    return manager.getRepository(LogframeRevisionEntity).findOne({ where: { projectId }, order: { number: 'DESC' } });
  }

  /** The latest revision of a project locked for update (SELECT … FOR UPDATE) in the caller's transaction, or null. */
  lockLatest(
    projectId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframeRevisionEntity | null> {
    return manager
      .getRepository(LogframeRevisionEntity)
      .findOne({ where: { projectId }, order: { number: 'DESC' }, lock: { mode: 'pessimistic_write' } });
  }

  /** Revision `number` of a project, or null. */
  byNumber(
    projectId: string,
    number: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframeRevisionEntity | null> {
    return manager.getRepository(LogframeRevisionEntity).findOneBy({ projectId, number });
  }

  /** Revision `number` of a project locked for update in the caller's transaction, or null. */
  lockByNumber(
    projectId: string,
    number: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframeRevisionEntity | null> {
    return manager
      .getRepository(LogframeRevisionEntity)
      .findOne({ where: { projectId, number }, lock: { mode: 'pessimistic_write' } });
  }

  /** A revision by id. @throws EntityNotFoundError when there is none (callers hold its id from a read). */
  get(id: string, manager: EntityManager = this.dataSource.manager): Promise<LogframeRevisionEntity> {
    return manager.getRepository(LogframeRevisionEntity).findOneByOrFail({ id });
  }

  /** Every revision of a project, newest first. */
  listByProject(
    projectId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframeRevisionEntity[]> {
    return manager.getRepository(LogframeRevisionEntity).find({ where: { projectId }, order: { number: 'DESC' } });
  }

  /** Inserts a revision (e.g. revision 1 of a new project, or n+1 opened from n) and returns it as stored. */
  insert(
    values: Pick<LogframeRevisionEntity, 'projectId' | 'number' | 'status'> &
      Partial<Pick<LogframeRevisionEntity, 'justification' | 'basedOnRevisionId'>>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframeRevisionEntity> {
    return manager.getRepository(LogframeRevisionEntity).save(values);
  }

  /**
   * Records an edit of the working copy: its version moves on (entity tags, stale checks) and `actorId`
   * joins its editors (who may then not approve it: four eyes).
   */
  async markEdited(
    revisionId: string,
    actorId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(`UPDATE logframe_revision SET version = version + 1, updated_at = now() WHERE id = $1`, [
      revisionId,
    ]);
    await manager.query(
      `INSERT INTO logframe_revision_editor (revision_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [revisionId, actorId],
    );
  }

  /** The editors of each revision (keyed by revision id; revisions nobody edited are absent). */
  async editors(
    revisionIds: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, string[]>> {
    const editors = new Map<string, string[]>();
    if (revisionIds.length === 0) return editors;
    const rows: { revision_id: string; user_id: string }[] = await manager.query(
      `SELECT revision_id, user_id FROM logframe_revision_editor WHERE revision_id = ANY($1)`,
      [revisionIds],
    );
    for (const row of rows) editors.set(row.revision_id, [...(editors.get(row.revision_id) ?? []), row.user_id]);
    return editors;
  }

  /** Whether `userId` edited the revision. */
  async isEditor(
    revisionId: string,
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const rows: { hit: number }[] = await manager.query(
      `SELECT 1 AS hit FROM logframe_revision_editor WHERE revision_id = $1 AND user_id = $2`,
      [revisionId, userId],
    );
    return rows.length > 0;
  }

  /**
   * Moves a revision to `status` with `fields`, its version + 1, only if its version is still
   * `expectedVersion` (optimistic: a concurrent step makes it lose).
   * @returns false when the revision changed meanwhile (nothing written)
   */
  async transition(
    revisionId: string,
    expectedVersion: number,
    status: LogframeRevisionEntity['status'],
    fields: Partial<LogframeRevisionEntity>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(LogframeRevisionEntity)
      .set({ ...fields, status, version: () => 'version + 1' } as never)
      .where('id = :id AND version = :version', { id: revisionId, version: expectedVersion })
      .execute();
    return result.affected === 1;
  }

  /** The project's approved revision (if any) becomes `superseded` (its version moves on). */
  async supersedeApproved(projectId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `UPDATE logframe_revision SET status = 'superseded', updated_at = now(), version = version + 1 WHERE project_id = $1 AND status = 'approved'`,
      [projectId],
    );
  }

  /** Submitted revisions of projects in `orgUnitIds`, oldest submission first (then project code). */
  async awaitingReview(
    orgUnitIds: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<AwaitingReviewRow[]> {
    const rows: AwaitingReviewRaw[] = await manager.query(
      `SELECT r.project_id, p.code, p.title, r.number, r.version, r.submitted_at, r.submitted_by_id,
              floor(extract(epoch FROM now() - r.submitted_at) / 86400)::int AS waiting_days,
              coalesce((SELECT array_agg(e.user_id) FROM logframe_revision_editor e WHERE e.revision_id = r.id), '{}') AS editors
         FROM logframe_revision r JOIN project p ON p.id = r.project_id
        WHERE r.status = 'submitted' AND p.org_unit_id = ANY($1)
        ORDER BY r.submitted_at ASC, p.code`,
      [orgUnitIds],
    );
    return rows.map(toAwaitingReview);
  }
}
