import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '#libs/auth';
import { DomainException, ErrorCode, type FieldError } from '#libs/common';
import {
  AuditEventEntity,
  type ElementType,
  LogframeRevisionEntity,
  settingsInForce,
  ReviewCommentEntity,
  type Role,
} from '#libs/database';
import { canonicalSha256, LogframeReader, logframeSnapshot } from '#libs/logframe';
import { type ChecklistResult, runChecklist } from '../checklist.js';
import { copyRevisionRows } from './revision-copy.js';
import { diffSnapshots, type ElementChange } from './revision-diff.js';

/** What the current user may do with a revision (as DHIS2's data approval API tells its users). */
export interface RevisionActions {
  mayEdit: boolean;
  maySubmit: boolean;
  mayApprove: boolean;
  mayReturn: boolean;
  /** Why approve is not allowed, when the user is a focal point in scope (e.g. four eyes). */
  approveBlockedBecause?: string;
}

/** A revision as listed for a project, with the caller's actions. */
export interface RevisionView {
  id: string;
  number: number;
  status: string;
  version: number;
  justification: string | null;
  submittedBy: string | null;
  submittedAt: Date | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  snapshotSha256: string | null;
  editors: string[];
  checklist: ChecklistResult | null;
  actions: RevisionActions;
}

/** An element a reviewer comments on, by stable id. */
export interface ElementComment {
  elementType: Extract<ElementType, 'outcome' | 'output' | 'indicator' | 'activity' | 'assumption'>;
  elementId: string;
  body: string;
}

/**
 * The RBM Quality Assurance workflow of logframe revisions (DESIGN.md §3):
 * `draft → submitted → approved`, or `submitted → returned → (edited) → submitted`; a new revision
 * n+1 is opened from an approved n with a justification, n staying in force until n+1 is approved.
 *
 * Every transition locks the revision, checks its version (a stale or concurrent action gets 409: one
 * winner), and writes the state change, the snapshot (on approval) and the audit row in one transaction.
 * Four eyes: the submitter and anyone who edited the revision cannot approve it, whatever their roles.
 * Roles and scope on the project are checked by the caller with the PolicyService; `roles` are the
 * roles through which the caller reaches the project.
 */
@Injectable()
export class RevisionWorkflowService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: LogframeReader,
  ) {}

  /** The QA checklist of the working copy (on demand, nothing stored). */
  async checklist(projectId: string, manager: EntityManager = this.dataSource.manager): Promise<ChecklistResult> {
    const revision = await this.latest(manager, projectId);
    return runChecklist(await this.reader.loadTree(revision.id, manager), {
      blockingChecks: await this.blockingChecks(manager),
    });
  }

  /** Every revision of a project, newest first, with what `user` may do with each. */
  async list(projectId: string, user: AuthUser, roles: Role[]): Promise<RevisionView[]> {
    const revisions = await this.dataSource
      .getRepository(LogframeRevisionEntity)
      .find({ where: { projectId }, order: { number: 'DESC' } });
    const editors: { revision_id: string; user_id: string }[] = revisions.length
      ? await this.dataSource.query(
          `SELECT revision_id, user_id FROM logframe_revision_editor WHERE revision_id = ANY($1)`,
          [revisions.map((r) => r.id)],
        )
      : [];
    return revisions.map((r, index) =>
      this.view(
        r,
        editors.filter((e) => e.revision_id === r.id).map((e) => e.user_id),
        user,
        roles,
        index === 0,
      ),
    );
  }

  /**
   * Submits the working copy for review after running the checklist.
   * @throws DomainException unprocessable listing every blocking item; conflict when stale or not a draft
   */
  async submit(projectId: string, expectedVersion: number, user: AuthUser): Promise<LogframeRevisionEntity> {
    return this.dataSource.transaction(async (m) => {
      const revision = await this.lockLatest(m, projectId, expectedVersion);
      if (revision.status !== 'draft' && revision.status !== 'returned')
        throw DomainException.conflict(
          ErrorCode.INVALID_STATE,
          `Revision ${revision.number} is ${revision.status}: only a draft or returned revision can be submitted`,
          [],
          { status: revision.status },
        );
      const result = runChecklist(await this.reader.loadTree(revision.id, m), {
        blockingChecks: await this.blockingChecks(m),
      });
      if (!result.passed) {
        const errors: FieldError[] = result.blocking.map((item) => ({
          path: item.elementCode ?? 'project',
          code: 'checklist',
          params: { rule: item.rule },
          message: `[${item.rule}] ${item.message}`,
        }));
        throw DomainException.unprocessable(
          ErrorCode.CHECKLIST_BLOCKING,
          `The QA checklist found ${result.blocking.length} blocking problem(s); fix them and submit again`,
          errors,
          { count: result.blocking.length },
        );
      }
      return this.transition(m, revision, 'submitted', user.id, 'revision.submit', {
        submittedById: user.id,
        submittedAt: new Date(),
        checklist: result as unknown as object,
      });
    });
  }

  /**
   * Approves a submitted revision: stores the canonical snapshot with its SHA-256; the previously
   * approved revision becomes `superseded`.
   * @throws DomainException forbidden (four eyes), conflict (stale, not submitted, concurrent decision)
   */
  async approve(
    projectId: string,
    number: number,
    expectedVersion: number,
    user: AuthUser,
  ): Promise<LogframeRevisionEntity> {
    return this.dataSource.transaction(async (m) => {
      const revision = await this.lockRevision(m, projectId, number, expectedVersion);
      if (revision.status !== 'submitted')
        throw DomainException.conflict(
          ErrorCode.INVALID_STATE,
          `Revision ${revision.number} is ${revision.status}: only a submitted revision can be approved`,
          [],
          { status: revision.status },
        );
      await this.assertFourEyes(m, revision, user);
      const snapshot = logframeSnapshot(await this.reader.loadTree(revision.id, m));
      await m.query(
        `UPDATE logframe_revision SET status = 'superseded', updated_at = now(), version = version + 1 WHERE project_id = $1 AND status = 'approved'`,
        [projectId],
      );
      return this.transition(m, revision, 'approved', user.id, 'revision.approve', {
        approvedById: user.id,
        approvedAt: new Date(),
        snapshot,
        snapshotSha256: canonicalSha256(snapshot),
      });
    });
  }

  /**
   * Returns a submitted revision to the manager with a comment (required) and optional comments on
   * elements (kept by stable id across revisions).
   * @throws DomainException conflict (stale, not submitted), unprocessable (missing comment, unknown element)
   */
  async return(
    projectId: string,
    number: number,
    expectedVersion: number,
    comment: string,
    elementComments: ElementComment[],
    user: AuthUser,
  ): Promise<LogframeRevisionEntity> {
    if (!comment.trim())
      throw DomainException.unprocessable(
        ErrorCode.REASON_REQUIRED,
        'Say why the logframe is returned',
        [{ path: 'comment', code: 'required', params: {}, message: 'is required' }],
        { field: 'comment' },
      );
    return this.dataSource.transaction(async (m) => {
      const revision = await this.lockRevision(m, projectId, number, expectedVersion);
      if (revision.status !== 'submitted')
        throw DomainException.conflict(
          ErrorCode.INVALID_STATE,
          `Revision ${revision.number} is ${revision.status}: only a submitted revision can be returned`,
          [],
          { status: revision.status },
        );
      const known = await this.stableIds(m, revision.id);
      const unknown = elementComments
        .map((c, i) => ({ c, i }))
        .filter(({ c }) => known.get(c.elementId) !== c.elementType);
      if (unknown.length)
        throw DomainException.unprocessable(
          ErrorCode.RULE_VIOLATED,
          'A comment points at an element that is not in this revision',
          unknown.map(({ i }): FieldError => ({
            path: `elementComments[${i}].elementId`,
            code: 'not_found',
            params: { entity: 'element' },
            message: 'no such element of that type in this revision',
          })),
        );
      await m.getRepository(ReviewCommentEntity).insert([
        {
          projectId,
          revisionId: revision.id,
          authorId: user.id,
          body: comment,
          elementType: null,
          elementStableId: null,
        },
        ...elementComments.map((c) => ({
          projectId,
          revisionId: revision.id,
          authorId: user.id,
          body: c.body,
          elementType: c.elementType,
          elementStableId: c.elementId,
        })),
      ]);
      return this.transition(m, revision, 'returned', user.id, 'revision.return', {}, { comment, elementComments });
    });
  }

  /**
   * Opens revision n+1 from the approved revision n (a copy keeping every stable id), with a justification.
   * @throws DomainException conflict when the latest revision is not approved
   */
  async openRevision(projectId: string, justification: string, user: AuthUser): Promise<LogframeRevisionEntity> {
    if (!justification.trim())
      throw DomainException.unprocessable(
        ErrorCode.REASON_REQUIRED,
        'Say why the logframe needs a new revision',
        [{ path: 'justification', code: 'required', params: {}, message: 'is required' }],
        { field: 'justification' },
      );
    return this.dataSource.transaction(async (m) => {
      const latest = await m
        .getRepository(LogframeRevisionEntity)
        .findOne({ where: { projectId }, order: { number: 'DESC' }, lock: { mode: 'pessimistic_write' } });
      if (!latest) throw DomainException.notFound('Logframe of this project');
      if (latest.status !== 'approved')
        throw DomainException.conflict(
          ErrorCode.INVALID_STATE,
          `Revision ${latest.number} is ${latest.status}: a new revision can be opened only from an approved one`,
          [],
          { status: latest.status },
        );
      const opened = await m
        .getRepository(LogframeRevisionEntity)
        .save({ projectId, number: latest.number + 1, status: 'draft', justification, basedOnRevisionId: latest.id });
      await copyRevisionRows(m, latest.id, opened.id);
      await m.getRepository(AuditEventEntity).insert({
        projectId,
        actorId: user.id,
        action: 'revision.open',
        entityType: 'logframe_revision',
        entityId: opened.id,
        before: { basedOn: latest.number },
        after: { number: opened.number, status: 'draft', justification },
      });
      return opened;
    });
  }

  /**
   * What changed from revision `from` to revision `to`, element by element (by stable id). Approved
   * revisions are compared through their stored snapshot; others through their current rows.
   * @throws DomainException not_found for a missing revision
   */
  async diff(projectId: string, from: number, to: number): Promise<ElementChange[]> {
    const snapshot = async (number: number) => {
      const revision = await this.dataSource.getRepository(LogframeRevisionEntity).findOneBy({ projectId, number });
      if (!revision) throw DomainException.notFound(`Revision ${number}`);
      return (
        (revision.snapshot as Record<string, unknown> | null) ??
        logframeSnapshot(await this.reader.loadTree(revision.id))
      );
    };
    return diffSnapshots(await snapshot(from), await snapshot(to));
  }

  /** Comments on a project's revisions, oldest first. */
  async comments(projectId: string): Promise<ReviewCommentEntity[]> {
    return this.dataSource
      .getRepository(ReviewCommentEntity)
      .find({ where: { projectId }, order: { createdAt: 'ASC' } });
  }

  /**
   * Submitted revisions awaiting a focal point in their scope, oldest submission first, with how long
   * each has waited (days) and whether this focal point may approve it (four eyes).
   */
  async inbox(user: AuthUser): Promise<
    {
      projectId: string;
      projectCode: string;
      projectTitle: string;
      revisionNumber: number;
      version: number;
      submittedAt: Date;
      submittedBy: string;
      waitingDays: number;
      mayApprove: boolean;
    }[]
  > {
    if (!user.scope.focalUnitIds.length) return [];
    const rows: {
      project_id: string;
      code: string;
      title: string;
      number: number;
      version: number;
      submitted_at: Date;
      submitted_by_id: string;
      waiting_days: number;
      editors: string[];
    }[] = await this.dataSource.query(
      `SELECT r.project_id, p.code, p.title, r.number, r.version, r.submitted_at, r.submitted_by_id,
              floor(extract(epoch FROM now() - r.submitted_at) / 86400)::int AS waiting_days,
              coalesce((SELECT array_agg(e.user_id) FROM logframe_revision_editor e WHERE e.revision_id = r.id), '{}') AS editors
         FROM logframe_revision r JOIN project p ON p.id = r.project_id
        WHERE r.status = 'submitted' AND p.org_unit_id = ANY($1)
        ORDER BY r.submitted_at ASC, p.code`,
      [user.scope.focalUnitIds],
    );
    return rows.map((r) => ({
      projectId: r.project_id,
      projectCode: r.code,
      projectTitle: r.title,
      revisionNumber: r.number,
      version: r.version,
      submittedAt: r.submitted_at,
      submittedBy: r.submitted_by_id,
      waitingDays: r.waiting_days,
      mayApprove: r.submitted_by_id !== user.id && !r.editors.includes(user.id),
    }));
  }

  private view(
    r: LogframeRevisionEntity,
    editors: string[],
    user: AuthUser,
    roles: Role[],
    isLatest: boolean,
  ): RevisionView {
    const editable = isLatest && (r.status === 'draft' || r.status === 'returned');
    const focal = roles.includes('rbm_focal_point');
    const ownWork = r.submittedById === user.id || editors.includes(user.id);
    const actions: RevisionActions = {
      mayEdit: editable && roles.includes('project_manager'),
      maySubmit: editable && roles.includes('project_manager'),
      mayApprove: r.status === 'submitted' && focal && !ownWork,
      mayReturn: r.status === 'submitted' && focal,
      ...(r.status === 'submitted' && focal && ownWork
        ? { approveBlockedBecause: 'You submitted or edited this revision (four eyes)' }
        : {}),
    };
    return {
      id: r.id,
      number: r.number,
      status: r.status,
      version: r.version,
      justification: r.justification,
      submittedBy: r.submittedById,
      submittedAt: r.submittedAt,
      approvedBy: r.approvedById,
      approvedAt: r.approvedAt,
      snapshotSha256: r.snapshotSha256,
      editors,
      checklist: (r.checklist as ChecklistResult | null) ?? null,
      actions,
    };
  }

  private async assertFourEyes(m: EntityManager, revision: LogframeRevisionEntity, user: AuthUser): Promise<void> {
    if (revision.submittedById === user.id)
      throw DomainException.forbidden(
        ErrorCode.FOUR_EYES,
        'You submitted this revision: another RBM focal point must approve it (four eyes)',
      );
    const [edited] = await m.query(
      `SELECT 1 AS hit FROM logframe_revision_editor WHERE revision_id = $1 AND user_id = $2`,
      [revision.id, user.id],
    );
    if (edited)
      throw DomainException.forbidden(
        ErrorCode.FOUR_EYES,
        'You edited this revision: another RBM focal point must approve it (four eyes)',
      );
  }

  private async transition(
    m: EntityManager,
    revision: LogframeRevisionEntity,
    status: LogframeRevisionEntity['status'],
    actorId: string,
    action: string,
    fields: Partial<LogframeRevisionEntity>,
    extra: Record<string, unknown> = {},
  ): Promise<LogframeRevisionEntity> {
    const result = await m
      .createQueryBuilder()
      .update(LogframeRevisionEntity)
      .set({ ...fields, status, version: () => 'version + 1' } as never)
      .where('id = :id AND version = :version', { id: revision.id, version: revision.version })
      .execute();
    if (result.affected !== 1)
      throw DomainException.conflict(
        ErrorCode.CONCURRENT_CHANGE,
        'Someone else acted on this revision at the same time; reload it',
      );
    await m.getRepository(AuditEventEntity).insert({
      projectId: revision.projectId,
      actorId,
      action,
      entityType: 'logframe_revision',
      entityId: revision.id,
      before: { number: revision.number, status: revision.status, version: revision.version },
      after: {
        number: revision.number,
        status,
        version: revision.version + 1,
        ...(fields.snapshotSha256 ? { snapshotSha256: fields.snapshotSha256 } : {}),
        ...extra,
      },
    });
    return m.getRepository(LogframeRevisionEntity).findOneByOrFail({ id: revision.id });
  }

  private async latest(m: EntityManager, projectId: string): Promise<LogframeRevisionEntity> {
    const revision = await m
      .getRepository(LogframeRevisionEntity)
      .findOne({ where: { projectId }, order: { number: 'DESC' } });
    if (!revision) throw DomainException.notFound('Logframe of this project');
    return revision;
  }

  private async lockLatest(
    m: EntityManager,
    projectId: string,
    expectedVersion: number,
  ): Promise<LogframeRevisionEntity> {
    const latest = await this.latest(m, projectId);
    return this.lockRevision(m, projectId, latest.number, expectedVersion);
  }

  private async lockRevision(
    m: EntityManager,
    projectId: string,
    number: number,
    expectedVersion: number,
  ): Promise<LogframeRevisionEntity> {
    const revision = await m
      .getRepository(LogframeRevisionEntity)
      .findOne({ where: { projectId, number }, lock: { mode: 'pessimistic_write' } });
    if (!revision) throw DomainException.notFound(`Revision ${number}`);
    if (revision.version !== expectedVersion)
      throw DomainException.staleVersion(
        `Revision ${number} changed since you read it (version ${revision.version}, yours ${expectedVersion}); reload it`,
        revision.version,
        expectedVersion,
        [
          {
            path: 'version',
            code: 'stale_version',
            params: { current: revision.version, yours: expectedVersion },
            message: `is ${expectedVersion}, current is ${revision.version}`,
          },
        ],
      );
    return revision;
  }

  private async blockingChecks(m: EntityManager): Promise<string[]> {
    return (await settingsInForce(m))?.blockingChecks ?? [];
  }

  /** Stable ids of a revision's elements with their type. */
  private async stableIds(m: EntityManager, revisionId: string): Promise<Map<string, string>> {
    const rows: { stable_id: string; kind: string }[] = await m.query(
      `SELECT stable_id, 'outcome' AS kind FROM outcome WHERE revision_id = $1 UNION ALL SELECT stable_id, 'output' FROM output WHERE revision_id = $1
       UNION ALL SELECT stable_id, 'indicator' FROM indicator WHERE revision_id = $1 UNION ALL SELECT stable_id, 'activity' FROM activity WHERE revision_id = $1
       UNION ALL SELECT stable_id, 'assumption' FROM assumption WHERE revision_id = $1`,
      [revisionId],
    );
    return new Map(rows.map((r) => [r.stable_id, r.kind]));
  }
}
