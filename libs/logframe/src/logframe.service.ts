import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainException, ErrorCode } from '#libs/common';
import {
  ActivityEntity,
  AssumptionEntity,
  AuditEventEntity,
  IndicatorEntity,
  IndicatorSeriesEntity,
  LogframeRevisionEntity,
  OutcomeEntity,
  OutputEntity,
  PeriodTargetEntity,
  type ProjectEntity,
  SdgLinkEntity,
  StandardIndicatorEntity,
} from '#libs/database';
import { targetOfIndicator } from '#libs/sdg';
import type { LogframeDocument, LogframeReadDocument } from './logframe-document.js';
import { toLogframeDocument } from './logframe-document.js';
import { planLogframe, referencedCodes, type LogframePlan, type LogframePlanContext } from './plan-logframe.js';
import { canonicalSha256, logframeSnapshot } from './logframe-snapshot.js';
import { LogframeReader, type LogframeRevisionHead, type SeriesState } from './logframe.reader.js';

/** What a logframe read shows, known before its tree is loaded (see {@link LogframeService.readState}). */
export interface LogframeReadState {
  revision: LogframeRevisionHead;
  series: SeriesState[];
  /** Strong entity tag of the document (quoted, as sent in the ETag header). */
  etag: string;
}

/**
 * The entity tag of a logframe document: `"<revision number>.<revision version>.<series stamp>"`. The
 * revision's version moves with every edit of its rows and with each workflow step; the series stamp
 * is a SHA-256 (first 16 hex digits) over the revision id and status and each series' actual count,
 * latest actual change and retirement, so entering, correcting or deleting an actual and retiring an
 * indicator each give a new tag.
 */
export function logframeEtag(revision: LogframeRevisionHead, series: SeriesState[]): string {
  const stamp = createHash('sha256')
    .update(`${revision.id}|${revision.status}`)
    .update(
      series
        .map(
          (s) =>
            `|${s.seriesId}:${s.actualCount}:${s.actualsChangedAt?.toISOString() ?? ''}:${s.retiredAt?.toISOString() ?? ''}`,
        )
        .join(''),
    )
    .digest('hex')
    .slice(0, 16);
  return `"${revision.number}.${revision.version}.${stamp}"`;
}

/** Revision states in which the working copy may be edited (DESIGN.md §3). */
export const EDITABLE_STATUSES = ['draft', 'returned'] as const;

/**
 * Reads and replaces a project's logframe as one document (DESIGN.md §2–3).
 *
 * A replace runs in one transaction: it checks the version (409 when stale), validates every
 * element (422 listing each bad field with its path; 409 naming a duplicate code), then rewrites
 * the working copy's rows with set-based inserts, keeping every element's stable id (matched by
 * `id`, else by `code`), so actuals, comments and audit links survive. Indicators with actuals keep
 * their series fields (measure, unit, aggregation, direction, definition) and cannot be removed
 * unless retired. The editor is recorded on the revision (four eyes) and in the audit trail.
 */
@Injectable()
export class LogframeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: LogframeReader,
  ) {}

  /**
   * The logframe document of a project at a revision: `latest` (the working copy), `approved` (the
   * revision in force), or a revision number. `approvedOnly` (donors) never returns a draft: `latest`
   * becomes `approved`, and a numbered revision must have been approved.
   * Equivalent to {@link document} of {@link readState}.
   * @throws DomainException not_found when there is no such revision
   */
  async read(
    projectId: string,
    options: { approvedOnly?: boolean; revision?: 'latest' | 'approved' | number } = {},
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframeReadDocument> {
    return this.document(await this.readState(projectId, options, manager), manager);
  }

  /**
   * What a logframe read will show, in two statements and without the revision's snapshot: the
   * revision (id, number, status, version), every indicator series' actual count, latest actual change
   * and retirement, and the entity tag of the document built from them (RULES.md, "Logframe read").
   * @throws DomainException not_found when there is no such revision (same rules as {@link read})
   */
  async readState(
    projectId: string,
    options: { approvedOnly?: boolean; revision?: 'latest' | 'approved' | number } = {},
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframeReadState> {
    const selector = options.revision ?? 'latest';
    const wantApproved = selector === 'approved' || (options.approvedOnly && selector === 'latest');
    const revision = await this.reader.revisionHead(projectId, wantApproved ? 'approved' : selector, manager);
    if (!revision || (options.approvedOnly && revision.status !== 'approved' && revision.status !== 'superseded')) {
      throw DomainException.notFound(
        typeof selector === 'number'
          ? `Revision ${selector} of this logframe`
          : wantApproved
            ? 'Approved logframe of this project'
            : 'Logframe of this project',
      );
    }
    const series = await this.reader.seriesStates(projectId, manager);
    return { revision, series, etag: logframeEtag(revision, series) };
  }

  /**
   * The document of a read state: the revision's tree (nine set-based statements) with the series
   * figures of the state, so the document always matches the state's entity tag.
   */
  async document(
    state: LogframeReadState,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LogframeReadDocument> {
    const tree = await this.reader.loadTree(state.revision.id, manager);
    const extras = new Map(
      state.series.map((s) => [
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
   * Replaces the working copy from `doc` (all or nothing).
   * @throws DomainException conflict (stale version, revision not editable, duplicate code), unprocessable (rules, with paths), not_found
   */
  async replace(project: ProjectEntity, doc: LogframeDocument, actorId: string): Promise<LogframeReadDocument> {
    return this.dataSource.transaction(async (m) => {
      const revision = await m
        .getRepository(LogframeRevisionEntity)
        .findOne({ where: { projectId: project.id }, order: { number: 'DESC' }, lock: { mode: 'pessimistic_write' } });
      if (!revision) throw DomainException.notFound('Logframe of this project');
      if (!(EDITABLE_STATUSES as readonly string[]).includes(revision.status)) {
        throw DomainException.conflict(
          ErrorCode.INVALID_STATE,
          `Revision ${revision.number} is ${revision.status} and cannot be edited; open a new revision to change the logframe`,
          [],
          { status: revision.status },
        );
      }
      if (revision.version !== doc.version) {
        throw DomainException.staleVersion(
          `The logframe was changed by someone else since you read it (version ${revision.version}, yours ${doc.version}); reload it and apply your changes again`,
          revision.version,
          doc.version,
          [
            {
              path: 'version',
              code: 'stale_version',
              params: { current: revision.version, yours: doc.version },
              message: `is ${doc.version}, current is ${revision.version}`,
            },
          ],
        );
      }
      const before = await this.reader.loadTree(revision.id, m);
      const plan = await this.plan(m, project, revision, doc);
      await this.write(m, revision.id, plan);
      await m.query(`UPDATE logframe_revision SET version = version + 1, updated_at = now() WHERE id = $1`, [
        revision.id,
      ]);
      await m.query(
        `INSERT INTO logframe_revision_editor (revision_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [revision.id, actorId],
      );
      const after = await this.reader.loadTree(revision.id, m);
      const beforeSnapshot = logframeSnapshot(before);
      const afterSnapshot = logframeSnapshot(after);
      await m.getRepository(AuditEventEntity).insert({
        projectId: project.id,
        actorId,
        action: 'logframe.replace',
        entityType: 'logframe_revision',
        entityId: revision.id,
        before: { sha256: canonicalSha256(beforeSnapshot), logframe: beforeSnapshot },
        after: { sha256: canonicalSha256(afterSnapshot), logframe: afterSnapshot },
      });
      return this.read(project.id, {}, m);
    });
  }

  /**
   * Clears the review flags (e.g. `aggregation_inferred`, `end_target_inferred` from an import) of
   * the working copy's indicators with these codes: the manager confirmed those values. Audited.
   */
  async clearReviewFlags(projectId: string, indicatorCodes: string[], actorId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const revision = await m
        .getRepository(LogframeRevisionEntity)
        .findOne({ where: { projectId }, order: { number: 'DESC' }, lock: { mode: 'pessimistic_write' } });
      if (!revision || !(EDITABLE_STATUSES as readonly string[]).includes(revision.status))
        throw DomainException.conflict(ErrorCode.INVALID_STATE, 'Only a draft or returned logframe can be changed');
      const cleared: { code: string; flags: unknown }[] = await m.query(
        `UPDATE indicator SET flags = '[]', updated_at = now() WHERE revision_id = $1 AND code = ANY($2) AND flags <> '[]' RETURNING code, flags`,
        [revision.id, indicatorCodes],
      );
      await m.query(`UPDATE logframe_revision SET version = version + 1, updated_at = now() WHERE id = $1`, [
        revision.id,
      ]);
      await m.query(
        `INSERT INTO logframe_revision_editor (revision_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [revision.id, actorId],
      );
      await m.getRepository(AuditEventEntity).insert({
        projectId,
        actorId,
        action: 'indicator.confirm',
        entityType: 'logframe_revision',
        entityId: revision.id,
        after: { confirmed: cleared.map((c) => c.code) },
      });
    });
  }

  /**
   * Retires an indicator (its series): it stays with its actuals, is shown as retired and may then
   * be removed from the working copy. @throws DomainException not_found, conflict when already retired
   */
  async retireIndicator(projectId: string, indicatorId: string, reason: string, actorId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const series = await m
        .getRepository(IndicatorSeriesEntity)
        .findOne({ where: { id: indicatorId, projectId }, lock: { mode: 'pessimistic_write' } });
      if (!series) throw DomainException.notFound('Indicator');
      if (series.retiredAt)
        throw DomainException.conflict(ErrorCode.INVALID_STATE, 'This indicator is already retired');
      await m
        .getRepository(IndicatorSeriesEntity)
        .update({ id: indicatorId }, { retiredAt: new Date(), retiredReason: reason, retiredById: actorId });
      await m.getRepository(AuditEventEntity).insert({
        projectId,
        actorId,
        action: 'indicator.retire',
        entityType: 'indicator',
        entityId: indicatorId,
        after: { reason },
      });
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
    const revisionId = revision.id;
    const refs = referencedCodes(doc);
    const codesIn = async (table: 'sdg_target' | 'sdg_indicator', codes: string[]) =>
      new Set<string>(
        (await m.query(`SELECT code FROM ${table} WHERE code = ANY($1)`, [codes])).map((r: { code: string }) => r.code),
      );
    const context: LogframePlanContext = {
      revisionId,
      project: { id: project.id, startDate: project.startDate, endDate: project.endDate },
      current: {
        outcomes: await m.getRepository(OutcomeEntity).findBy({ revisionId }),
        outputs: await m.getRepository(OutputEntity).findBy({ revisionId }),
        activities: await m.getRepository(ActivityEntity).findBy({ revisionId }),
        indicators: await m.getRepository(IndicatorEntity).findBy({ revisionId }),
        assumptions: await m.getRepository(AssumptionEntity).findBy({ revisionId }),
      },
      series: new Map(
        (await this.reader.seriesStates(project.id, m)).map((s) => [
          s.seriesId,
          { actualCount: s.actualCount, retired: s.retiredAt !== null },
        ]),
      ),
      knownSdgTargets: await codesIn('sdg_target', refs.sdgTargetCodes),
      knownSdgIndicators: await codesIn('sdg_indicator', refs.sdgIndicatorCodes),
      standardIndicators: new Map(
        (refs.standardIndicatorIds.length
          ? await m
              .getRepository(StandardIndicatorEntity)
              .createQueryBuilder('s')
              .where('s.id = ANY(:ids)', { ids: refs.standardIndicatorIds })
              .getMany()
          : []
        ).map((s) => [s.id, { code: s.code, measure: s.measure }]),
      ),
    };
    return planLogframe(doc, context);
  }

  /** Rewrites the revision's rows: deletes then inserts each table with one statement (constant queries). */
  private async write(m: EntityManager, revisionId: string, plan: LogframePlan): Promise<void> {
    for (const table of ['sdg_link', 'assumption', 'activity', 'indicator', 'output', 'outcome'])
      await m.query(`DELETE FROM ${table} WHERE revision_id = $1`, [revisionId]);
    if (plan.newSeries.length)
      await m
        .getRepository(IndicatorSeriesEntity)
        .insert(plan.newSeries.map((id) => ({ id, projectId: plan.projectId })));
    const insert = async <T extends object>(entity: new () => T, rows: Partial<T>[]) => {
      if (rows.length)
        await m
          .createQueryBuilder()
          .insert()
          .into(entity)
          .values(rows as never)
          .execute();
    };
    await insert(OutcomeEntity, plan.outcomeRows);
    await insert(OutputEntity, plan.outputRows);
    await insert(ActivityEntity, plan.activityRows);
    await insert(IndicatorEntity, plan.indicatorRows);
    await insert(PeriodTargetEntity, plan.targetRows);
    await insert(AssumptionEntity, plan.assumptionRows);
    await insert(SdgLinkEntity, plan.linkRows);
  }
}
