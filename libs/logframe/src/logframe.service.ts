import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CalcDecimal } from '#libs/calculations';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainException, ErrorCode, type FieldError } from '#libs/common';
import {
  ActivityEntity,
  AssumptionEntity,
  AuditEventEntity,
  IndicatorEntity,
  type IndicatorLevel,
  IndicatorSeriesEntity,
  LogframeRevisionEntity,
  OutcomeEntity,
  OutputEntity,
  PeriodTargetEntity,
  type ProjectEntity,
  SdgLinkEntity,
  StandardIndicatorEntity,
} from '#libs/database';
import { normaliseSdgCode, sdgCodeKind, targetOfIndicator } from '#libs/sdg';
import type {
  ActivityDoc,
  AssumptionDoc,
  IndicatorDoc,
  LogframeDocument,
  LogframeReadDocument,
  OutputDoc,
  PeriodTargetDoc,
  SdgLinkDoc,
} from './logframe-document.js';
import { toLogframeDocument } from './logframe-document.js';
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

const HUNDRED = new CalcDecimal(100);

/** `outcomes[0]` + `sdgLinks[1]` → `outcomes[0].sdgLinks[1]`; the document root has no prefix. */
const at = (path: string, child: string) => (path ? `${path}.${child}` : child);

interface Located<T> {
  path: string;
  doc: T;
}
interface IndicatorPlacement extends Located<IndicatorDoc> {
  level: IndicatorLevel;
  outcomeRowId: string | null;
  outputRowId: string | null;
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
          [{ path: 'version', message: `is ${doc.version}, current is ${revision.version}` }],
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

  /** Validates the document against the rules and the current rows, and plans the rows to write. */
  private async plan(
    m: EntityManager,
    project: ProjectEntity,
    revision: LogframeRevisionEntity,
    doc: LogframeDocument,
  ) {
    const errors: FieldError[] = [];
    const revisionId = revision.id;
    const [outcomes, outputs, activities, indicators, assumptions] = [
      await m.getRepository(OutcomeEntity).findBy({ revisionId }),
      await m.getRepository(OutputEntity).findBy({ revisionId }),
      await m.getRepository(ActivityEntity).findBy({ revisionId }),
      await m.getRepository(IndicatorEntity).findBy({ revisionId }),
      await m.getRepository(AssumptionEntity).findBy({ revisionId }),
    ];
    const extras = new Map(
      (await this.reader.seriesStates(project.id, m)).map((s) => [
        s.seriesId,
        { actualCount: s.actualCount, retired: s.retiredAt ? { at: s.retiredAt.toISOString() } : null },
      ]),
    );

    // Stable ids: by id when given (must exist in this logframe), else by code, else new.
    const usedIds = new Map<string, string>();
    const resolveId = (
      path: string,
      id: string | undefined,
      code: string | undefined,
      rows: { stableId: string; code?: string }[],
    ): string => {
      let stableId: string | undefined;
      if (id) {
        if (!rows.some((r) => r.stableId === id))
          errors.push({
            path: `${path}.id`,
            message: `no such element in this logframe: omit the id to add a new one`,
          });
        stableId = id;
      } else if (code !== undefined) stableId = rows.find((r) => r.code === code)?.stableId;
      stableId ??= randomUUID();
      const previous = usedIds.get(stableId);
      if (previous) errors.push({ path: `${path}.id`, message: `is the same element as ${previous}` });
      usedIds.set(stableId, path);
      return stableId;
    };

    // Codes unique within the project, per kind of element.
    const codes = new Map<string, string>();
    const duplicates: string[] = [];
    const claimCode = (kind: string, code: string, path: string) => {
      const key = `${kind}:${code}`;
      const first = codes.get(key);
      if (first) duplicates.push(`Code '${code}' is used twice (${first}.code and ${path}.code)`);
      else codes.set(key, path);
    };

    const outcomeRows: Partial<OutcomeEntity>[] = [];
    const outputRows: Partial<OutputEntity>[] = [];
    const activityRows: Partial<ActivityEntity>[] = [];
    const assumptionRows: Partial<AssumptionEntity>[] = [];
    const linkRows: Partial<SdgLinkEntity>[] = [];
    const placements: IndicatorPlacement[] = [];
    const sdgTargetCodes = new Map<string, string[]>();

    const addLinks = (path: string, links: SdgLinkDoc[], outcomeId: string | null, outputId: string | null) => {
      const seen = new Set<string>();
      links.forEach((l, i) => {
        const code = normaliseSdgCode(l.sdgTargetCode);
        const p = `${at(path, `sdgLinks[${i}]`)}.sdgTargetCode`;
        if (sdgCodeKind(code) !== 'target') {
          errors.push({ path: p, message: `'${l.sdgTargetCode}' is not an SDG target code (like 16.4 or 5.a)` });
          return;
        }
        if (seen.has(code)) errors.push({ path: p, message: `SDG target ${code} is linked twice to this element` });
        seen.add(code);
        sdgTargetCodes.set(code, [...(sdgTargetCodes.get(code) ?? []), p]);
        linkRows.push({
          id: randomUUID(),
          revisionId,
          outcomeId,
          outputId,
          sdgTargetCode: code,
          contribution: l.contribution,
          rationale: l.rationale ?? null,
          source: 'entered',
        });
      });
    };
    const addAssumptions = (path: string, list: AssumptionDoc[], outcomeId: string | null, outputId: string | null) =>
      list.forEach((a, i) => {
        const stableId = resolveId(at(path, `assumptions[${i}]`), a.id, undefined, assumptions);
        assumptionRows.push({
          id: randomUUID(),
          revisionId,
          stableId,
          outcomeId,
          outputId,
          kind: a.kind,
          statement: a.statement,
          likelihood: a.likelihood ?? null,
          impact: a.impact ?? null,
          mitigation: a.mitigation ?? null,
          position: i + 1,
        });
      });
    const addIndicators = (
      path: string,
      list: IndicatorDoc[],
      level: IndicatorLevel,
      outcomeRowId: string | null,
      outputRowId: string | null,
    ) => list.forEach((doc, i) => placements.push({ path: `${path}[${i}]`, doc, level, outcomeRowId, outputRowId }));
    const addActivities = (path: string, list: ActivityDoc[], outputRowId: string) =>
      list.forEach((a, i) => {
        const p = `${path}.activities[${i}]`;
        claimCode('activity', a.code, p);
        this.checkDates(errors, p, a.startDate ?? null, a.endDate ?? null, project, 'startDate', 'endDate');
        activityRows.push({
          id: randomUUID(),
          revisionId,
          stableId: resolveId(p, a.id, a.code, activities),
          outputId: outputRowId,
          code: a.code,
          description: a.description,
          startDate: a.startDate ?? null,
          endDate: a.endDate ?? null,
          position: i + 1,
        });
      });
    const addOutput = (path: string, o: OutputDoc, outcomeRowId: string | null, position: number) => {
      claimCode('output', o.code, path);
      const rowId = randomUUID();
      outputRows.push({
        id: rowId,
        revisionId,
        stableId: resolveId(path, o.id, o.code, outputs),
        outcomeId: outcomeRowId,
        code: o.code,
        statement: o.statement,
        position,
      });
      addLinks(path, o.sdgLinks, null, rowId);
      addAssumptions(path, o.assumptions, null, rowId);
      addIndicators(`${path}.indicators`, o.indicators, 'output', null, rowId);
      addActivities(path, o.activities, rowId);
    };

    addLinks('', doc.sdgLinks, null, null);
    addAssumptions('', doc.assumptions, null, null);
    addIndicators('impactIndicators', doc.impactIndicators, 'impact', null, null);
    doc.outcomes.forEach((o, i) => {
      const path = `outcomes[${i}]`;
      claimCode('outcome', o.code, path);
      const rowId = randomUUID();
      outcomeRows.push({
        id: rowId,
        revisionId,
        stableId: resolveId(path, o.id, o.code, outcomes),
        code: o.code,
        statement: o.statement,
        position: i + 1,
      });
      addLinks(path, o.sdgLinks, rowId, null);
      addAssumptions(path, o.assumptions, rowId, null);
      addIndicators(`${path}.indicators`, o.indicators, 'outcome', rowId, null);
      o.outputs.forEach((out, j) => addOutput(`${path}.outputs[${j}]`, out, rowId, j + 1));
    });
    doc.unlinkedOutputs.forEach((out, j) => addOutput(`unlinkedOutputs[${j}]`, out, null, j + 1));

    // Reference checks: SDG targets and indicators, standard indicators (one query each).
    const targetCodes = [...sdgTargetCodes.keys()];
    const knownTargets = new Set<string>(
      (await m.query(`SELECT code FROM sdg_target WHERE code = ANY($1)`, [targetCodes])).map(
        (r: { code: string }) => r.code,
      ),
    );
    for (const [code, paths] of sdgTargetCodes)
      if (!knownTargets.has(code))
        for (const p of paths)
          errors.push({ path: p, message: `SDG target '${code}' does not exist in the official framework` });
    const sdgIndicatorCodes = placements
      .map((p) => (p.doc.sdgIndicatorCode ? normaliseSdgCode(p.doc.sdgIndicatorCode) : null))
      .filter((c): c is string => !!c);
    const knownIndicators = new Set<string>(
      (await m.query(`SELECT code FROM sdg_indicator WHERE code = ANY($1)`, [sdgIndicatorCodes])).map(
        (r: { code: string }) => r.code,
      ),
    );
    const standardIds = placements.map((p) => p.doc.standardIndicatorId).filter((id): id is string => !!id);
    const standards = new Map(
      (standardIds.length
        ? await m
            .getRepository(StandardIndicatorEntity)
            .createQueryBuilder('s')
            .where('s.id = ANY(:ids)', { ids: standardIds })
            .getMany()
        : []
      ).map((s) => [s.id, s]),
    );

    const indicatorRows: Partial<IndicatorEntity>[] = [];
    const targetRows: Partial<PeriodTargetEntity>[] = [];
    const newSeries: string[] = [];
    placements.forEach((placement, index) => {
      const { path, doc: d } = placement;
      claimCode('indicator', d.code, path);
      const stableId = resolveId(path, d.id, d.code, indicators);
      const existing = indicators.find((i) => i.stableId === stableId);
      if (!existing && !extras.has(stableId)) newSeries.push(stableId);
      const actualCount = extras.get(stableId)?.actualCount ?? 0;
      if (existing && actualCount > 0) {
        const locked: [keyof IndicatorDoc, unknown, unknown][] = [
          ['measure', existing.measure, d.measure],
          ['unit', existing.unit, d.unit ?? null],
          ['aggregation', existing.aggregation, d.aggregation],
          ['direction', existing.direction, d.direction],
          ['definition', existing.definition, d.definition ?? null],
        ];
        // Completing an empty field, or settling a value the importer inferred and flagged, does not redefine the series.
        const inferred = new Set((existing.flags ?? []).map((f) => f.code));
        const settles = (field: keyof IndicatorDoc, was: unknown) =>
          was === null ||
          (field === 'aggregation' && inferred.has('aggregation_inferred')) ||
          (field === 'direction' && inferred.has('direction_inferred'));
        for (const [field, was, now] of locked) {
          if (was !== now && !settles(field, was))
            errors.push({
              path: `${path}.${field}`,
              message: `cannot change from '${String(was)}': this indicator has ${actualCount} actual(s); retire it and add a new indicator instead`,
            });
        }
      }
      let sdgIndicatorCode: string | null = null;
      if (d.sdgIndicatorCode) {
        sdgIndicatorCode = normaliseSdgCode(d.sdgIndicatorCode);
        if (!knownIndicators.has(sdgIndicatorCode))
          errors.push({
            path: `${path}.sdgIndicatorCode`,
            message: `SDG indicator '${d.sdgIndicatorCode}' does not exist in the official framework`,
          });
      }
      if (d.standardIndicatorId) {
        const standard = standards.get(d.standardIndicatorId);
        if (!standard) errors.push({ path: `${path}.standardIndicatorId`, message: 'no such standard indicator' });
        else if (standard.measure !== d.measure)
          errors.push({
            path: `${path}.standardIndicatorId`,
            message: `standard indicator ${standard.code} measures '${standard.measure}', this indicator '${d.measure}'`,
          });
      }
      const values = this.checkIndicatorValues(errors, path, d, project);
      const rowId = randomUUID();
      indicatorRows.push({
        id: rowId,
        revisionId,
        stableId,
        level: placement.level,
        outcomeId: placement.outcomeRowId,
        outputId: placement.outputRowId,
        code: d.code,
        title: d.title,
        definition: d.definition ?? null,
        measure: d.measure,
        iatiMeasure: existing?.iatiMeasure ?? null,
        unit: d.unit ?? null,
        direction: d.direction,
        aggregation: d.aggregation,
        ordinalScale: d.ordinalScale ?? null,
        baselineValue: values.baseline.value,
        baselineNumerator: values.baseline.numerator,
        baselineDenominator: values.baseline.denominator,
        baselineYear: d.baseline?.year ?? null,
        baselineDate: d.baseline?.date ?? null,
        baselineComment: d.baseline?.comment ?? null,
        baselineNotAvailableReason: d.baseline?.notAvailableReason ?? null,
        baselineDueDate: d.baseline?.dueDate ?? null,
        endTargetValue: values.endTarget.value,
        endTargetNumerator: values.endTarget.numerator,
        endTargetDenominator: values.endTarget.denominator,
        endTargetDescription: d.endTarget?.description ?? null,
        meansOfVerification: d.meansOfVerification ?? null,
        dataSource: d.dataSource ?? null,
        collectionFrequency: d.collectionFrequency ?? null,
        requiredDisaggregations: d.requiredDisaggregations ?? [],
        standardIndicatorId: d.standardIndicatorId ?? null,
        sdgIndicatorCode,
        flags: existing?.flags ?? [],
        position: index + 1,
      });
      values.periodTargets.forEach((t) => targetRows.push({ id: randomUUID(), indicatorId: rowId, ...t }));
    });

    // Removing an indicator that has actuals: only once retired.
    const kept = new Set(indicatorRows.map((r) => r.stableId));
    for (const removed of indicators.filter((i) => !kept.has(i.stableId))) {
      const info = extras.get(removed.stableId);
      if (info && info.actualCount > 0 && !info.retired) {
        errors.push({
          path: 'indicators',
          message: `Indicator ${removed.code} has ${info.actualCount} actual(s) and cannot be removed: retire it with a reason first (POST /projects/${project.id}/indicators/${removed.stableId}/retire)`,
        });
      }
    }

    if (duplicates.length)
      throw DomainException.conflict(
        ErrorCode.DUPLICATE,
        duplicates.join('; '),
        duplicates.map((message) => ({ path: 'code', message })),
      );
    if (errors.length)
      throw DomainException.unprocessable(
        ErrorCode.LOGFRAME_INVALID,
        `The logframe has ${errors.length} problem(s); nothing was saved`,
        errors,
        { count: errors.length },
      );
    return {
      outcomeRows,
      outputRows,
      activityRows,
      indicatorRows,
      targetRows,
      assumptionRows,
      linkRows,
      newSeries,
      projectId: project.id,
    };
  }

  /** Rewrites the revision's rows: deletes then inserts each table with one statement (constant queries). */
  private async write(
    m: EntityManager,
    revisionId: string,
    plan: Awaited<ReturnType<LogframeService['plan']>>,
  ): Promise<void> {
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

  private checkDates(
    errors: FieldError[],
    path: string,
    start: string | null,
    end: string | null,
    project: ProjectEntity,
    startField: string,
    endField: string,
  ): void {
    if (start && end && start > end)
      errors.push({ path: `${path}.${endField}`, message: `${end} is before ${startField} ${start}` });
    if (start && project.startDate && start < project.startDate)
      errors.push({
        path: `${path}.${startField}`,
        message: `${start} is before the project starts (${project.startDate})`,
      });
    if (end && project.endDate && end > project.endDate)
      errors.push({ path: `${path}.${endField}`, message: `${end} is after the project ends (${project.endDate})` });
  }

  /**
   * Checks an indicator's values against its measure, scale and direction (DESIGN.md §2, §5) and
   * returns them normalised (percentages: value = 100·numerator/denominator when the pair is given).
   */
  private checkIndicatorValues(errors: FieldError[], path: string, d: IndicatorDoc, project: ProjectEntity) {
    const fail = (p: string, message: string) => errors.push({ path: `${path}.${p}`, message });
    const scale = d.ordinalScale;
    if (d.measure === 'ordinal') {
      if (!scale) fail('ordinalScale', 'is required for an ordinal indicator (min, max and optional labels)');
      else if (!new CalcDecimal(scale.min).lessThan(scale.max))
        fail('ordinalScale.max', `must be above min (${scale.min})`);
    } else if (scale) fail('ordinalScale', `is only for ordinal indicators (this one measures '${d.measure}')`);

    type Amount = { value?: string | null; numerator?: string | null; denominator?: string | null };
    const amount = (
      p: string,
      a: Amount | null | undefined,
    ): { value: string | null; numerator: string | null; denominator: string | null } => {
      const none = { value: null, numerator: null, denominator: null };
      if (!a) return none;
      const has = (v: string | null | undefined): v is string => v !== null && v !== undefined;
      if (d.measure === 'qualitative') {
        if (has(a.value) || has(a.numerator) || has(a.denominator))
          fail(p, 'a qualitative indicator takes a description, not numbers');
        return none;
      }
      if (d.measure !== 'percentage' && (has(a.numerator) || has(a.denominator)))
        fail(
          `${p}.numerator`,
          `numerator and denominator are only for percentage indicators (this one measures '${d.measure}')`,
        );
      let value = has(a.value) ? new CalcDecimal(a.value) : null;
      if (d.measure === 'percentage' && (has(a.numerator) || has(a.denominator))) {
        if (!has(a.numerator) || !has(a.denominator))
          fail(
            `${p}.${has(a.numerator) ? 'denominator' : 'numerator'}`,
            'give both numerator and denominator, or neither',
          );
        else {
          const num = new CalcDecimal(a.numerator);
          const den = new CalcDecimal(a.denominator);
          if (!den.greaterThan(0)) fail(`${p}.denominator`, 'must be greater than 0');
          else if (num.isNegative()) fail(`${p}.numerator`, 'must not be negative');
          else {
            const computed = num.times(HUNDRED).dividedBy(den);
            if (value && !value.toDecimalPlaces(6).equals(computed.toDecimalPlaces(6)))
              fail(
                `${p}.value`,
                `is ${value.toString()} but numerator/denominator give ${computed.toDecimalPlaces(4).toString()} %`,
              );
            value = computed.toDecimalPlaces(10);
          }
        }
      }
      if (value && d.measure === 'percentage' && (value.isNegative() || value.greaterThan(HUNDRED)))
        fail(`${p}.value`, 'must be a percentage from 0 to 100');
      if (value && d.measure === 'ordinal' && scale && (value.lessThan(scale.min) || value.greaterThan(scale.max)))
        fail(`${p}.value`, `must be on the scale ${scale.min}–${scale.max}`);
      return {
        value: value ? value.toString() : null,
        numerator: has(a.numerator) ? new CalcDecimal(a.numerator).toString() : null,
        denominator: has(a.denominator) ? new CalcDecimal(a.denominator).toString() : null,
      };
    };

    if (d.baseline?.notAvailableReason && d.baseline.value !== null && d.baseline.value !== undefined)
      fail('baseline.notAvailableReason', 'give a baseline value or the reason it is not available, not both');
    const baseline = amount('baseline', d.baseline);
    const endTarget = amount('endTarget', d.endTarget);

    // Direction: the end target lies strictly beyond the baseline; period targets on that side or equal.
    const beyond = (v: string, strict: boolean) => {
      if (baseline.value === null) return true;
      const cmp = new CalcDecimal(v).comparedTo(baseline.value);
      return d.direction === 'increase' ? (strict ? cmp > 0 : cmp >= 0) : strict ? cmp < 0 : cmp <= 0;
    };
    const side = d.direction === 'increase' ? 'above' : 'below';
    if (endTarget.value !== null && !beyond(endTarget.value, true))
      fail(
        'endTarget.value',
        `must be ${side} the baseline (${baseline.value}) for an indicator that should ${d.direction}`,
      );

    const seen = new Set<string>();
    const periodTargets = d.periodTargets.map((t: PeriodTargetDoc, i) => {
      const p = `periodTargets[${i}]`;
      if (t.periodStart > t.periodEnd) fail(`${p}.periodEnd`, `${t.periodEnd} is before periodStart ${t.periodStart}`);
      if (project.startDate && t.periodStart < project.startDate)
        fail(`${p}.periodStart`, `${t.periodStart} is before the project starts (${project.startDate})`);
      if (project.endDate && t.periodEnd > project.endDate)
        fail(`${p}.periodEnd`, `${t.periodEnd} is after the project ends (${project.endDate})`);
      const key = `${t.periodStart}/${t.periodEnd}`;
      if (seen.has(key)) fail(p, `the period ${t.periodStart}..${t.periodEnd} has two targets`);
      seen.add(key);
      const v = amount(p, t);
      if (v.value !== null && !beyond(v.value, false))
        fail(
          `${p}.value`,
          `must be ${side} or equal to the baseline (${baseline.value}) for an indicator that should ${d.direction}`,
        );
      return {
        periodStart: t.periodStart,
        periodEnd: t.periodEnd,
        ...v,
        description: t.description ?? null,
        comment: null,
      };
    });
    return { baseline, endTarget, periodTargets };
  }
}
