import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type AuthUser, PolicyService } from '#libs/auth';
import { DomainException, ErrorCode, type FieldError } from '#libs/common';
import {
  type ElementType,
  type LogframeRevisionEntity,
  type ReviewCommentEntity,
  type Role,
  settingsInForce,
  TransactionRunner,
} from '#libs/database';
import {
  AuditEventRepository,
  type AwaitingReviewRow,
  canonicalSha256,
  isEditableStatus,
  LogframeReader,
  LogframeRowsRepository,
  logframeSnapshot,
  RevisionRepository,
  staleVersionConflict,
} from '#libs/logframe';
import { type ChecklistResult, runChecklist } from '../checklist.js';
import { ReviewCommentRepository } from './review-comment.repository.js';
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

/** A submitted revision awaiting a focal point, as the review inbox shows it. */
export interface InboxItem extends Omit<AwaitingReviewRow, 'editors'> {
  /** Whether this focal point may approve it (four eyes: neither its submitter nor one of its editors). */
  mayApprove: boolean;
}

/**
 * The RBM Quality Assurance workflow of logframe revisions (DESIGN.md §3):
 * `draft → submitted → approved`, or `submitted → returned → (edited) → submitted`; a new revision
 * n+1 is opened from an approved n with a justification, n staying in force until n+1 is approved.
 *
 * Every method starts with the policy check of the caller on the project (PolicyService: roles and
 * scope). Every transition locks the revision, checks its version (a stale or concurrent action gets
 * 409: one winner), and writes the state change, the snapshot (on approval) and the audit row in one
 * transaction, then answers the revision as {@link list} shows it to the caller.
 * Four eyes: the submitter and anyone who edited the revision cannot approve it, whatever their roles.
 */
@Injectable()
export class RevisionWorkflowService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly reader: LogframeReader,
    private readonly revisions: RevisionRepository,
    private readonly rows: LogframeRowsRepository,
    private readonly commentRows: ReviewCommentRepository,
    private readonly audit: AuditEventRepository,
    private readonly policy: PolicyService,
  ) {}

  /** The QA checklist of the working copy (on demand, nothing stored), for `user` (policy `audit.read`). */
  async checklist(user: AuthUser, projectId: string): Promise<ChecklistResult> {
    await this.policy.authorizeProject(user, 'audit.read', projectId);
    return this.tx.run(async (m) => {
      const revision = await this.latest(m, projectId);
      return runChecklist(await this.reader.loadTree(revision.id, m), {
        blockingChecks: await this.blockingChecks(m),
      });
    });
  }

  /** Every revision of a project, newest first, with what `user` may do with each (policy `audit.read`). */
  async list(user: AuthUser, projectId: string): Promise<RevisionView[]> {
    const roles = await this.policy.authorizeProject(user, 'audit.read', projectId);
    const revisions = await this.revisions.listByProject(projectId);
    const editors = await this.revisions.editors(revisions.map((r) => r.id));
    return revisions.map((r, index) => this.view(r, editors.get(r.id) ?? [], user, roles, index === 0));
  }

  /**
   * Submits the working copy for review after running the checklist (policy `logframe.submit`).
   * @throws DomainException unprocessable listing every blocking item; conflict when stale or not a draft
   */
  async submit(user: AuthUser, projectId: string, expectedVersion: number): Promise<RevisionView> {
    await this.policy.authorizeProject(user, 'logframe.submit', projectId);
    const submitted = await this.tx.run(async (m) => {
      const revision = await this.lockLatest(m, projectId, expectedVersion);
      if (!isEditableStatus(revision.status))
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
    return this.revisionView(user, projectId, submitted.number);
  }

  /**
   * Approves a submitted revision (policy `logframe.review`): stores the canonical snapshot with its
   * SHA-256; the previously approved revision becomes `superseded`.
   * @throws DomainException forbidden (four eyes), conflict (stale, not submitted, concurrent decision)
   */
  async approve(user: AuthUser, projectId: string, number: number, expectedVersion: number): Promise<RevisionView> {
    await this.policy.authorizeProject(user, 'logframe.review', projectId);
    await this.tx.run(async (m) => {
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
      await this.revisions.supersedeApproved(projectId, m);
      return this.transition(m, revision, 'approved', user.id, 'revision.approve', {
        approvedById: user.id,
        approvedAt: new Date(),
        snapshot,
        snapshotSha256: canonicalSha256(snapshot),
      });
    });
    return this.revisionView(user, projectId, number);
  }

  /**
   * Returns a submitted revision to the manager (policy `logframe.review`) with a comment (required)
   * and optional comments on elements (kept by stable id across revisions).
   * @throws DomainException conflict (stale, not submitted), unprocessable (missing comment, unknown element)
   */
  async return(
    user: AuthUser,
    projectId: string,
    number: number,
    expectedVersion: number,
    comment: string,
    elementComments: ElementComment[],
  ): Promise<RevisionView> {
    await this.policy.authorizeProject(user, 'logframe.review', projectId);
    if (!comment.trim())
      throw DomainException.unprocessable(
        ErrorCode.REASON_REQUIRED,
        'Say why the logframe is returned',
        [{ path: 'comment', code: 'required', params: {}, message: 'is required' }],
        { field: 'comment' },
      );
    await this.tx.run(async (m) => {
      const revision = await this.lockRevision(m, projectId, number, expectedVersion);
      if (revision.status !== 'submitted')
        throw DomainException.conflict(
          ErrorCode.INVALID_STATE,
          `Revision ${revision.number} is ${revision.status}: only a submitted revision can be returned`,
          [],
          { status: revision.status },
        );
      await this.assertElementsKnown(m, revision.id, elementComments);
      const comments = [
        { body: comment, elementType: null, elementStableId: null },
        ...elementComments.map((c) => ({
          body: c.body,
          elementType: c.elementType,
          elementStableId: c.elementId,
        })),
      ];
      await this.commentRows.insert(
        comments.map((c) => ({ projectId, revisionId: revision.id, authorId: user.id, ...c })),
        m,
      );
      return this.transition(m, revision, 'returned', user.id, 'revision.return', {}, { comment, elementComments });
    });
    return this.revisionView(user, projectId, number);
  }

  /**
   * Opens revision n+1 from the approved revision n (policy `logframe.submit`): a copy keeping every
   * stable id, with a justification.
   * @throws DomainException conflict when the latest revision is not approved
   */
  async openRevision(user: AuthUser, projectId: string, justification: string): Promise<RevisionView> {
    await this.policy.authorizeProject(user, 'logframe.submit', projectId);
    if (!justification.trim())
      throw DomainException.unprocessable(
        ErrorCode.REASON_REQUIRED,
        'Say why the logframe needs a new revision',
        [{ path: 'justification', code: 'required', params: {}, message: 'is required' }],
        { field: 'justification' },
      );
    const opened = await this.tx.run(async (m) => {
      const latest = await this.revisions.lockLatest(projectId, m);
      if (!latest) throw DomainException.notFound('Logframe of this project');
      if (latest.status !== 'approved')
        throw DomainException.conflict(
          ErrorCode.INVALID_STATE,
          `Revision ${latest.number} is ${latest.status}: a new revision can be opened only from an approved one`,
          [],
          { status: latest.status },
        );
      const revision = await this.revisions.insert(
        { projectId, number: latest.number + 1, status: 'draft', justification, basedOnRevisionId: latest.id },
        m,
      );
      await this.rows.copyRevision(latest.id, revision.id, m);
      await this.audit.record(
        {
          projectId,
          actorId: user.id,
          action: 'revision.open',
          entityType: 'logframe_revision',
          entityId: revision.id,
          before: { basedOn: latest.number },
          after: { number: revision.number, status: 'draft', justification },
        },
        m,
      );
      return revision;
    });
    return this.revisionView(user, projectId, opened.number);
  }

  /**
   * What changed from revision `from` to revision `to`, element by element (by stable id), for `user`
   * (policy `audit.read`). Approved revisions are compared through their stored snapshot; others
   * through their current rows.
   * @throws DomainException not_found for a missing revision
   */
  async diff(user: AuthUser, projectId: string, from: number, to: number): Promise<ElementChange[]> {
    await this.policy.authorizeProject(user, 'audit.read', projectId);
    const snapshot = async (number: number) => {
      const revision = await this.revisions.byNumber(projectId, number);
      if (!revision) throw DomainException.notFound(`Revision ${number}`);
      return (
        (revision.snapshot as Record<string, unknown> | null) ??
        logframeSnapshot(await this.reader.loadTree(revision.id))
      );
    };
    return diffSnapshots(await snapshot(from), await snapshot(to));
  }

  /** Comments on a project's revisions, oldest first, for `user` (policy `audit.read`). */
  async comments(user: AuthUser, projectId: string): Promise<ReviewCommentEntity[]> {
    await this.policy.authorizeProject(user, 'audit.read', projectId);
    return this.commentRows.listForProject(projectId);
  }

  /**
   * Submitted revisions awaiting a focal point in their scope (projects of the org units `user` covers
   * as focal point, filtered in SQL), oldest submission first, with how long each has waited (days)
   * and whether this focal point may approve it (four eyes).
   */
  async inbox(user: AuthUser): Promise<InboxItem[]> {
    if (!user.scope.focalUnitIds.length) return [];
    const rows = await this.revisions.awaitingReview(user.scope.focalUnitIds);
    return rows.map(({ editors, ...row }) => ({
      ...row,
      mayApprove: row.submittedBy !== user.id && !editors.includes(user.id),
    }));
  }

  /** Revision `number` as {@link list} shows it to `user`. */
  private async revisionView(user: AuthUser, projectId: string, number: number): Promise<RevisionView> {
    return (await this.list(user, projectId)).find((r) => r.number === number)!;
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
    if (await this.revisions.isEditor(revision.id, user.id, m))
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
    if (!(await this.revisions.transition(revision.id, revision.version, status, fields, m)))
      throw DomainException.conflict(
        ErrorCode.CONCURRENT_CHANGE,
        'Someone else acted on this revision at the same time; reload it',
      );
    await this.audit.record(
      {
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
      },
      m,
    );
    return this.revisions.get(revision.id, m);
  }

  private async latest(m: EntityManager, projectId: string): Promise<LogframeRevisionEntity> {
    const revision = await this.revisions.latest(projectId, m);
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
    const revision = await this.revisions.lockByNumber(projectId, number, m);
    if (!revision) throw DomainException.notFound(`Revision ${number}`);
    if (revision.version !== expectedVersion)
      throw staleVersionConflict(
        `Revision ${number} changed since you read it (version ${revision.version}, yours ${expectedVersion}); reload it`,
        revision.version,
        expectedVersion,
      );
    return revision;
  }

  private async blockingChecks(m: EntityManager): Promise<string[]> {
    return (await settingsInForce(m))?.blockingChecks ?? [];
  }

  /** @throws DomainException unprocessable naming each comment whose element is not of that type in the revision */
  private async assertElementsKnown(
    m: EntityManager,
    revisionId: string,
    elementComments: ElementComment[],
  ): Promise<void> {
    const known = await this.rows.elementKinds(revisionId, m);
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
  }
}
