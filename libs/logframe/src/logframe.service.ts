import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type AuthUser, PolicyService } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import { type LogframeRevisionEntity, type ProjectEntity, TransactionRunner } from '#libs/database';
import { targetOfIndicator } from '#libs/sdg';
import type { LogframeDocument, LogframeReadDocument } from './logframe-document.js';
import { toLogframeDocument } from './logframe-document.js';
import { planLogframe, referencedCodes, type LogframePlan, type LogframePlanContext } from './plan-logframe.js';
import { canonicalSha256, logframeSnapshot } from './logframe-snapshot.js';
import { AuditEventRepository } from './audit-event.repository.js';
import { type LogframeReadHead, LogframeReader, type LogframeRevisionHead } from './logframe-reader.repository.js';
import { LogframeRowsRepository } from './logframe-rows.repository.js';
import { ProjectRepository } from './project.repository.js';
import { RevisionRepository } from './revision.repository.js';
import { staleVersionConflict } from './stale-version.js';

/** What a logframe read shows, known before its tree is loaded (see {@link LogframeService.readState}). */
export interface LogframeReadState {
  revision: LogframeRevisionHead;
  /** Strong entity tag of the document (quoted, as sent in the ETag header). */
  etag: string;
}

/**
 * The entity tag of a logframe document: `"<revision number>.<revision version>.<series stamp>"`. The
 * revision's version moves with every edit of its rows and with each workflow step; the series stamp
 * is a SHA-256 (first 16 hex digits) over the revision id and status and the project's `actuals` and
 * `project` report input stamps (LogframeReader.readHead; moved at the commit of any change of its
 * actuals, of its series' retirement or of the project row), so entering, correcting or deleting an
 * actual and retiring an indicator each give a new tag.
 */
export function logframeEtag(revision: LogframeRevisionHead, seriesStamp: string): string {
  const stamp = createHash('sha256')
    .update(`${revision.id}|${revision.status}|${seriesStamp}`)
    .digest('hex')
    .slice(0, 16);
  return `"${revision.number}.${revision.version}.${stamp}"`;
}

/** Revision states in which the working copy may be edited (DESIGN.md §3). */
export const EDITABLE_STATUSES = ['draft', 'returned'] as const;

/** Whether a revision in this state may be edited (a draft or a returned revision). */
export function isEditableStatus(status: string): boolean {
  return (EDITABLE_STATUSES as readonly string[]).includes(status);
}

/**
 * Reads and replaces a project's logframe as one document (DESIGN.md §2–3).
 *
 * A replace runs in one transaction: it checks the version (409 when stale), validates every
 * element (422 listing each bad field with its path; 409 naming a duplicate code), then rewrites
 * the working copy's rows with set-based inserts, keeping every element's stable id (matched by
 * `id`, else by `code`), so actuals, comments and audit links survive. Indicators with actuals keep
 * their series fields (measure, unit, aggregation, direction, definition) and cannot be removed
 * unless retired. The editor is recorded on the revision (four eyes) and in the audit trail.
 * Every change starts with the policy check of the caller on the project.
 */
@Injectable()
export class LogframeService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly reader: LogframeReader,
    private readonly revisions: RevisionRepository,
    private readonly rows: LogframeRowsRepository,
    private readonly audit: AuditEventRepository,
    private readonly projects: ProjectRepository,
    private readonly policy: PolicyService,
  ) {}

  /**
   * The logframe document of a project at a revision: `latest` (the working copy), `approved` (the
   * revision in force), or a revision number. `approvedOnly` (donors) never returns a draft: `latest`
   * becomes `approved`, and a numbered revision must have been approved. No policy check: callers
   * acting for a user check first (e.g. {@link readFor}).
   * Equivalent to {@link document} of {@link readState}.
   * @throws DomainException not_found when there is no such revision
   */
  async read(
    projectId: string,
    options: { approvedOnly?: boolean; revision?: 'latest' | 'approved' | number } = {},
    manager?: EntityManager,
  ): Promise<LogframeReadDocument> {
    return this.document(await this.readState(projectId, options, manager), manager);
  }

  /**
   * The logframe document `user` may read (policy `project.read`; donors, acting only as donors, get
   * the approved revision), with the project it belongs to.
   * @throws DomainException not_found (project outside scope, no such revision)
   */
  async readFor(
    user: AuthUser,
    projectId: string,
    revision: 'latest' | 'approved' | number = 'latest',
  ): Promise<{ project: ProjectEntity; document: LogframeReadDocument }> {
    const approvedOnly = await this.approvedOnlyFor(user, projectId);
    const document = await this.read(projectId, { approvedOnly, revision });
    return { project: await this.projects.get(projectId), document };
  }

  /**
   * The policy check of a logframe read (`project.read`).
   * @returns whether `user` reads only approved revisions (a donor, acting only as donor)
   * @throws DomainException not_found when the project is outside the caller's scope
   */
  async approvedOnlyFor(user: AuthUser, projectId: string): Promise<boolean> {
    const roles = await this.policy.authorizeProject(user, 'project.read', projectId);
    return roles.every((r) => r === 'donor');
  }

  /**
   * Which document a logframe read will show, in one statement and without the revision's snapshot or
   * any actual: the revision (id, number, status, version) and the entity tag of the document built
   * from it (RULES.md, "Logframe read").
   * @throws DomainException not_found when there is no such revision (same rules as {@link read})
   */
  async readState(
    projectId: string,
    options: { approvedOnly?: boolean; revision?: 'latest' | 'approved' | number } = {},
    manager?: EntityManager,
  ): Promise<LogframeReadState> {
    const selector = options.revision ?? 'latest';
    return this.stateOf(await this.reader.readHead(projectId, selector, manager), selector, options.approvedOnly);
  }

  /**
   * {@link readState} for `user`, with the policy check (`project.read`, as {@link approvedOnlyFor}) on
   * the project's org unit and funders read by the same statement: one statement in all.
   * @throws DomainException not_found when the project is outside the caller's scope or there is no
   * such revision
   */
  async readStateFor(
    user: AuthUser,
    projectId: string,
    revision: 'latest' | 'approved' | number = 'latest',
  ): Promise<LogframeReadState> {
    const head = await this.reader.readHead(projectId, revision);
    const roles = this.policy.authorizeReach(user, 'project.read', head.reach);
    return this.stateOf(
      head,
      revision,
      roles.every((r) => r === 'donor'),
    );
  }

  /** The state of the revision `selector` names (`approvedOnly`: `latest` means `approved`, and only approved revisions). */
  private stateOf(
    head: LogframeReadHead,
    selector: 'latest' | 'approved' | number,
    approvedOnly = false,
  ): LogframeReadState {
    const wantApproved = selector === 'approved' || (approvedOnly && selector === 'latest');
    const revision = wantApproved ? head.approved : head.selected;
    if (!revision || (approvedOnly && revision.status !== 'approved' && revision.status !== 'superseded')) {
      throw DomainException.notFound(
        typeof selector === 'number'
          ? `Revision ${selector} of this logframe`
          : wantApproved
            ? 'Approved logframe of this project'
            : 'Logframe of this project',
      );
    }
    return { revision, etag: logframeEtag(revision, head.seriesStamp) };
  }

  /**
   * The document of a read state: the revision's tree (nine set-based statements) and the series states
   * of its project (one statement, LogframeReader.seriesStates), read after the state: a document is
   * never older than the state's entity tag (a change committed in between is shown, and its new tag
   * is sent by the next read).
   */
  async document(state: LogframeReadState, manager?: EntityManager): Promise<LogframeReadDocument> {
    const tree = await this.reader.loadTree(state.revision.id, manager);
    const series = await this.reader.seriesStates(state.revision.projectId, manager);
    const extras = new Map(
      series.map((s) => [
        s.seriesId,
        {
          actualCount: s.actualCount,
          retired: s.retiredAt ? { at: s.retiredAt.toISOString(), reason: s.retiredReason } : null,
        },
      ]),
    );
    return toLogframeDocument(tree, (i) => ({
      ...(extras.get(i.stableId) ?? { actualCount: 0, retired: null }),
      impliedSdgTargetCode: i.sdgIndicatorCode ? targetOfIndicator(i.sdgIndicatorCode) : null,
      flags: i.flags ?? [],
    }));
  }

  /**
   * Replaces the working copy from `doc` (all or nothing), as `user` (policy `project.edit`).
   * @throws DomainException not_found (project outside scope, no logframe), forbidden, conflict (stale
   * version, revision not editable, duplicate code), unprocessable (rules, with paths)
   */
  async replace(user: AuthUser, projectId: string, doc: LogframeDocument): Promise<LogframeReadDocument> {
    await this.policy.authorizeProject(user, 'project.edit', projectId);
    const project = await this.projects.get(projectId);
    return this.tx.run(async (m) => {
      const revision = await this.revisions.lockLatest(project.id, m);
      if (!revision) throw DomainException.notFound('Logframe of this project');
      if (!isEditableStatus(revision.status)) {
        throw DomainException.conflict(
          ErrorCode.INVALID_STATE,
          `Revision ${revision.number} is ${revision.status} and cannot be edited; open a new revision to change the logframe`,
          [],
          { status: revision.status },
        );
      }
      if (revision.version !== doc.version) {
        throw staleVersionConflict(
          `The logframe was changed by someone else since you read it (version ${revision.version}, yours ${doc.version}); reload it and apply your changes again`,
          revision.version,
          doc.version,
        );
      }
      const before = logframeSnapshot(await this.reader.loadTree(revision.id, m));
      await this.rows.replaceRows(revision.id, await this.plan(m, project, revision, doc), m);
      await this.revisions.markEdited(revision.id, user.id, m);
      const after = logframeSnapshot(await this.reader.loadTree(revision.id, m));
      await this.audit.record(
        {
          projectId: project.id,
          actorId: user.id,
          action: 'logframe.replace',
          entityType: 'logframe_revision',
          entityId: revision.id,
          before: { sha256: canonicalSha256(before), logframe: before },
          after: { sha256: canonicalSha256(after), logframe: after },
        },
        m,
      );
      return this.read(project.id, {}, m);
    });
  }

  /**
   * Clears the review flags (e.g. `aggregation_inferred`, `end_target_inferred` from an import) of
   * the working copy's indicators with these codes, as `user` (policy `project.edit`): the manager
   * confirmed those values. Audited.
   * @throws DomainException not_found, forbidden, conflict when the working copy is not a draft or returned
   */
  async clearReviewFlags(user: AuthUser, projectId: string, indicatorCodes: string[]): Promise<void> {
    await this.policy.authorizeProject(user, 'project.edit', projectId);
    await this.tx.run(async (m) => {
      const revision = await this.revisions.lockLatest(projectId, m);
      if (!revision || !isEditableStatus(revision.status))
        throw DomainException.conflict(ErrorCode.INVALID_STATE, 'Only a draft or returned logframe can be changed');
      const cleared = await this.rows.clearIndicatorFlags(revision.id, indicatorCodes, m);
      await this.revisions.markEdited(revision.id, user.id, m);
      await this.audit.record(
        {
          projectId,
          actorId: user.id,
          action: 'indicator.confirm',
          entityType: 'logframe_revision',
          entityId: revision.id,
          after: { confirmed: cleared },
        },
        m,
      );
    });
  }

  /**
   * Retires an indicator (its series), as `user` (policy `project.edit`): it stays with its actuals,
   * is shown as retired and may then be removed from the working copy.
   * @throws DomainException not_found, forbidden, conflict when already retired
   */
  async retireIndicator(user: AuthUser, projectId: string, indicatorId: string, reason: string): Promise<void> {
    await this.policy.authorizeProject(user, 'project.edit', projectId);
    await this.tx.run(async (m) => {
      const series = await this.rows.lockSeries(indicatorId, projectId, m);
      if (!series) throw DomainException.notFound('Indicator');
      if (series.retiredAt)
        throw DomainException.conflict(ErrorCode.INVALID_STATE, 'This indicator is already retired');
      await this.rows.retireSeries(indicatorId, reason, user.id, m);
      await this.audit.record(
        {
          projectId,
          actorId: user.id,
          action: 'indicator.retire',
          entityType: 'indicator',
          entityId: indicatorId,
          after: { reason },
        },
        m,
      );
    });
  }

  /**
   * Loads what planning needs (current rows, series states, the referenced SDG codes and standard
   * indicators: one query each) and plans the replace with the pure {@link planLogframe}.
   * @throws DomainException DUPLICATE (409) or LOGFRAME_INVALID (422), see {@link planLogframe}
   */
  private async plan(
    m: EntityManager,
    project: ProjectEntity,
    revision: LogframeRevisionEntity,
    doc: LogframeDocument,
  ): Promise<LogframePlan> {
    const refs = referencedCodes(doc);
    const context: LogframePlanContext = {
      revisionId: revision.id,
      project: { id: project.id, startDate: project.startDate, endDate: project.endDate },
      current: await this.rows.currentRows(revision.id, m),
      series: new Map(
        (await this.reader.seriesStates(project.id, m)).map((s) => [
          s.seriesId,
          { actualCount: s.actualCount, retired: s.retiredAt !== null },
        ]),
      ),
      knownSdgTargets: await this.rows.existingSdgCodes('sdg_target', refs.sdgTargetCodes, m),
      knownSdgIndicators: await this.rows.existingSdgCodes('sdg_indicator', refs.sdgIndicatorCodes, m),
      standardIndicators: await this.rows.standardIndicators(refs.standardIndicatorIds, m),
    };
    return planLogframe(doc, context);
  }
}
