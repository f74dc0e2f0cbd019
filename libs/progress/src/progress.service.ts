import { Injectable } from '@nestjs/common';
import { CalcDecimal } from '#libs/calculations';
import { DataSource, type EntityManager, In } from 'typeorm';
import type { AuthUser } from '#libs/auth';
import { DomainException, ErrorCode, type FieldError } from '#libs/common';
import {
  ActualDisaggregationEntity,
  ActualEntity,
  AuditEventEntity,
  type IndicatorEntity,
  type MilestoneRating,
  type OutcomeRating,
  OutcomeRatingEntity,
  ProgressNarrativeEntity,
  ProgressReportEntity,
  type ProjectEntity,
  ReviewCommentEntity,
  VarianceExplanationEntity,
  settingsInForce,
  settingsThresholds,
} from '#libs/database';
import { indicatorNodes, LogframeReader, type LogframeTree } from '#libs/logframe';
import { quarterLabel, quarterRange } from '#libs/calculations';
import { indicatorRow, type ReportIndicatorRow } from './indicator-row.js';
import { ProgressReadRepository } from './progress-read.repository.js';
import { checkDisaggregation, type DisaggregatedValue } from './disaggregation.js';

/** One actual of a quarter's bulk entry. Values are exact decimal strings; percentages give numerator + denominator. */
export interface ActualInput {
  /** The indicator's stable id. */
  indicatorId: string;
  /** Default: the quarter; otherwise a period ending inside the quarter. */
  periodStart?: string;
  periodEnd?: string;
  value?: string | null;
  numerator?: string | null;
  denominator?: string | null;
  text?: string | null;
  rating?: MilestoneRating | null;
  comment?: string | null;
  evidenceUrl?: string | null;
  disaggregations?: DisaggregatedValue[];
  /**
   * The actual's version when it was read (`actuals[].version` of GET .../progress/:year/:quarter);
   * absent for an actual that did not exist. A different current version is a 409 (optimistic concurrency).
   */
  version?: number | null;
}

/** An actual of a quarter as read: its values, its version (send it back to change it) and who saved it when. */
export interface QuarterActual {
  id: string;
  indicatorId: string;
  periodStart: string;
  periodEnd: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  text: string | null;
  rating: MilestoneRating | null;
  comment: string | null;
  evidenceUrl: string | null;
  disaggregations: {
    dimension: string;
    category: string;
    value: number | null;
    numerator: number | null;
    denominator: number | null;
  }[];
  version: number;
  provenance: string;
  savedBy: string | null;
  savedAt: string;
}

/**
 * The submission of a quarter: its version, and optionally ratings, explanations and assumption
 * updates, saved (over what the draft holds) before the checks. Without them, submit takes what
 * `PUT .../narrative` saved.
 */
export interface QuarterSubmission {
  version: number;
  outcomeRatings?: { outcomeId: string; rating: OutcomeRating; justification: string }[];
  varianceExplanations?: { indicatorId: string; explanation: string }[];
  /** The quarter's status update of assumptions and risks (by stable id). */
  assumptionUpdates?: { assumptionId: string; status: string; note?: string | null }[];
}

/** The four texts of a quarterly narrative (null: not written). */
export interface QuarterNarrativeText {
  progressSummary: string | null;
  challenges: string | null;
  lessonsLearned: string | null;
  nextQuarter: string | null;
}

/**
 * A save of the quarter's story as a draft. `version` is the story's version you read (0 before the
 * first save). Each part given replaces that part of the draft wholly; a part left out stays as saved.
 */
export interface QuarterStoryDraft {
  version: number;
  outcomeRatings?: { outcomeId: string; rating: OutcomeRating; justification: string }[];
  varianceExplanations?: { indicatorId: string; explanation: string }[];
  assumptionUpdates?: { assumptionId: string; status: string; note?: string | null }[];
  narrative?: Partial<QuarterNarrativeText>;
}

/** The quarter's story as saved: ratings, explanations, the assumptions/risks update and the narrative. */
export interface QuarterStory {
  projectId: string;
  quarter: { year: number; quarter: number; label: string; start: string; end: string };
  /** The quarter's workflow status; the story is editable in draft and returned. */
  status: string;
  /** The quarter's version (send it to submit). */
  quarterVersion: number;
  /** The story's version (send it back to save again; 0 before the first save). */
  version: number;
  outcomeRatings: { outcomeId: string; outcomeCode: string; rating: string; justification: string }[];
  varianceExplanations: { indicatorId: string; indicatorCode: string; explanation: string }[];
  assumptionUpdates: { assumptionId: string; status: string; note: string | null }[];
  narrative: QuarterNarrativeText;
  /** Who last saved the story (display name and the role they acted in) and when; null before the first save. */
  savedBy: { displayName: string; role: string } | null;
  savedAt: string | null;
}

const EMPTY_NARRATIVE: QuarterNarrativeText = {
  progressSummary: null,
  challenges: null,
  lessonsLearned: null,
  nextQuarter: null,
};

/** A quarter's progress as read: its workflow state and every indicator of the revision in force. */
export interface QuarterProgress {
  projectId: string;
  quarter: { year: number; quarter: number; label: string; start: string; end: string };
  status: string;
  version: number;
  restated: boolean;
  reopenReason: string | null;
  revision: { number: number; status: string };
  outcomes: { id: string; code: string; statement: string; rating: { rating: string; justification: string } | null }[];
  indicators: (ReportIndicatorRow & { varianceExplanation: string | null; needsExplanation: boolean })[];
  /** The actuals whose period ends in the quarter, with their versions (the PUT's optimistic-concurrency check). */
  actuals: QuarterActual[];
}

/**
 * Quarterly progress (DESIGN.md §4): bulk entry of a quarter's actuals, and the workflow
 * `draft → submitted → validated | returned`, with `reopen` of a validated quarter (a restatement).
 * Four eyes: whoever submitted the quarter or entered its actuals cannot validate it. Validated and
 * submitted quarters are locked. Every step is one transaction with its audit row.
 */
@Injectable()
export class ProgressService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: LogframeReader,
    private readonly progressRead: ProgressReadRepository,
  ) {}

  /**
   * Enters (or corrects) a whole quarter's actuals in one transaction: all saved or none.
   * @throws DomainException unprocessable (each bad value with its path and why), conflict (quarter locked), not_found
   */
  async enterQuarter(
    project: ProjectEntity,
    year: number,
    quarter: number,
    entries: ActualInput[],
    user: AuthUser,
  ): Promise<QuarterProgress> {
    const range = quarterRange(year, quarter);
    await this.dataSource.transaction(async (m) => {
      const progress = await this.lockProgress(m, project.id, year, quarter, true);
      if (progress.status === 'submitted' || progress.status === 'validated') {
        throw DomainException.conflict(
          ErrorCode.QUARTER_LOCKED,
          `${quarterLabel(year, quarter)} is ${progress.status}: its actuals are locked${progress.status === 'validated' ? ' (a focal point may reopen it with a reason)' : ''}`,
          [],
          { year, quarter, status: progress.status },
        );
      }
      const tree = await this.approvedTree(m, project.id);
      const indicators = new Map(allIndicators(tree).map((i) => [i.stableId, i]));
      const retired: { id: string }[] = await m.query(
        `SELECT id FROM indicator_series WHERE project_id = $1 AND retired_at IS NOT NULL`,
        [project.id],
      );
      const retiredIds = new Set(retired.map((r) => r.id));
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      const rows = entries.map((e, i) => {
        const path = `actuals[${i}]`;
        const fail = (field: string, message: string) =>
          errors.push({ path: field ? `${path}.${field}` : path, message });
        const indicator = indicators.get(e.indicatorId);
        if (!indicator) {
          fail('indicatorId', 'no such indicator in the approved logframe');
          return null;
        }
        if (retiredIds.has(e.indicatorId)) fail('indicatorId', `indicator ${indicator.code} is retired`);
        const periodStart = e.periodStart ?? range.start;
        const periodEnd = e.periodEnd ?? range.end;
        if (periodStart > periodEnd) fail('periodEnd', `${periodEnd} is before periodStart ${periodStart}`);
        if (periodEnd < range.start || periodEnd > range.end)
          fail('periodEnd', `${periodEnd} is not in ${quarterLabel(year, quarter)} (${range.start}..${range.end})`);
        if (project.startDate && periodStart < project.startDate)
          fail('periodStart', `${periodStart} is before the project starts (${project.startDate})`);
        if (project.endDate && periodEnd > project.endDate)
          fail('periodEnd', `${periodEnd} is after the project ends (${project.endDate})`);
        const key = `${e.indicatorId}/${periodStart}/${periodEnd}`;
        if (seen.has(key)) fail('', `${indicator.code} ${periodStart}..${periodEnd} is given twice`);
        seen.add(key);
        const values = this.checkValue(indicator, e, fail);
        for (const problem of checkDisaggregation(
          indicator.measure,
          values,
          e.disaggregations ?? [],
          indicator.requiredDisaggregations ?? [],
        ))
          fail('disaggregations', `${indicator.code} ${problem.message}`);
        return { indicator, periodStart, periodEnd, values, entry: e };
      });
      if (errors.length)
        throw DomainException.unprocessable(
          ErrorCode.ACTUALS_INVALID,
          `${errors.length} problem(s) in the actuals of ${quarterLabel(year, quarter)}; nothing was saved`,
          errors,
          { count: errors.length },
        );

      const valid = rows.filter((r): r is NonNullable<typeof r> => r !== null);
      const existing = valid.length
        ? await m.getRepository(ActualEntity).findBy({ indicatorSeriesId: In(valid.map((r) => r.indicator.stableId)) })
        : [];
      const find = (r: { indicator: IndicatorEntity; periodStart: string; periodEnd: string }) =>
        existing.find(
          (a) =>
            a.indicatorSeriesId === r.indicator.stableId &&
            a.periodStart === r.periodStart &&
            a.periodEnd === r.periodEnd,
        );
      await this.checkVersions(m, entries, valid, find, year, quarter);
      const before: unknown[] = [];
      const after: unknown[] = [];
      for (const r of valid) {
        const row = find(r);
        const fields = {
          ...r.values,
          comment: r.entry.comment ?? null,
          evidenceUrl: r.entry.evidenceUrl ?? null,
          provenance: 'entered' as const,
          enteredById: user.id,
        };
        let saved: ActualEntity;
        if (row) {
          before.push({
            indicator: r.indicator.code,
            period: `${row.periodStart}..${row.periodEnd}`,
            value: row.value,
            numerator: row.numerator,
            denominator: row.denominator,
            text: row.text,
            rating: row.rating,
            provenance: row.provenance,
          });
          Object.assign(row, fields);
          saved = await m.getRepository(ActualEntity).save(row);
          await m.getRepository(ActualDisaggregationEntity).delete({ actualId: row.id });
        } else {
          saved = await m.getRepository(ActualEntity).save(
            m.getRepository(ActualEntity).create({
              ...fields,
              indicatorSeriesId: r.indicator.stableId,
              periodStart: r.periodStart,
              periodEnd: r.periodEnd,
              sourceNote: null,
            }),
          );
        }
        const parts = r.entry.disaggregations ?? [];
        if (parts.length) {
          await m.getRepository(ActualDisaggregationEntity).insert(
            parts.map((p) => ({
              actualId: saved.id,
              dimension: p.dimension,
              category: p.category,
              value: p.value ?? null,
              numerator: p.numerator ?? null,
              denominator: p.denominator ?? null,
            })),
          );
        }
        after.push({
          indicator: r.indicator.code,
          period: `${saved.periodStart}..${saved.periodEnd}`,
          value: saved.value,
          numerator: saved.numerator,
          denominator: saved.denominator,
          text: saved.text,
          rating: saved.rating,
          disaggregations: parts,
        });
      }
      await m.getRepository(AuditEventEntity).insert({
        projectId: project.id,
        actorId: user.id,
        action: 'actuals.enter',
        entityType: 'progress_report',
        entityId: progress.id,
        before,
        after: { quarter: quarterLabel(year, quarter), actuals: after },
      });
      await m.query(`UPDATE progress_report SET version = version + 1, updated_at = now() WHERE id = $1`, [
        progress.id,
      ]);
    });
    return this.read(project.id, year, quarter);
  }

  /**
   * Submits a quarter for validation. Every outcome needs the manager's rating with a justification;
   * every indicator whose computed status is at risk or off track needs an explanation of variance.
   * @throws DomainException unprocessable listing each missing item; conflict when stale or not draft/returned
   */
  async submitQuarter(
    projectId: string,
    year: number,
    quarter: number,
    submission: QuarterSubmission,
    user: AuthUser,
  ): Promise<QuarterProgress> {
    await this.dataSource.transaction(async (m) => {
      const progress = await this.lockProgress(m, projectId, year, quarter, true);
      this.expectVersion(progress, submission.version);
      if (progress.status !== 'draft' && progress.status !== 'returned')
        throw DomainException.conflict(
          ErrorCode.INVALID_STATE,
          `${quarterLabel(year, quarter)} is ${progress.status}: only a draft or returned quarter can be submitted`,
          [],
          { status: progress.status },
        );
      const current = await this.read(projectId, year, quarter, m);
      const errors: FieldError[] = [];
      const outcomeRatings = submission.outcomeRatings ?? [];
      const varianceExplanations = submission.varianceExplanations ?? [];
      const ratings = new Map(outcomeRatings.map((r) => [r.outcomeId, r]));
      outcomeRatings.forEach((r, i) => {
        if (!current.outcomes.some((o) => o.id === r.outcomeId))
          errors.push({ path: `outcomeRatings[${i}].outcomeId`, message: 'no such outcome in the approved logframe' });
        if (!r.justification.trim())
          errors.push({ path: `outcomeRatings[${i}].justification`, message: 'is required' });
      });
      for (const o of current.outcomes) {
        const rating = ratings.get(o.id) ?? o.rating;
        if (!rating)
          errors.push({
            path: 'outcomeRatings',
            message: `Outcome ${o.code} needs your rating (on_track, at_risk or off_track) with a justification`,
          });
        else if (!ratings.has(o.id) && !rating.justification.trim())
          errors.push({ path: 'outcomeRatings', message: `Outcome ${o.code}: the saved rating needs a justification` });
      }
      const explanations = new Map(varianceExplanations.map((v) => [v.indicatorId, v.explanation]));
      const assumptionIds: { stable_id: string }[] = await m.query(
        `SELECT stable_id FROM assumption WHERE revision_id = (SELECT id FROM logframe_revision WHERE project_id = $1 AND status = 'approved' ORDER BY number DESC LIMIT 1)`,
        [projectId],
      );
      (submission.assumptionUpdates ?? []).forEach((u, i) => {
        if (!assumptionIds.some((a) => a.stable_id === u.assumptionId))
          errors.push({
            path: `assumptionUpdates[${i}].assumptionId`,
            message: 'no such assumption or risk in the approved logframe',
          });
      });
      varianceExplanations.forEach((v, i) => {
        if (!current.indicators.some((ind) => ind.id === v.indicatorId))
          errors.push({
            path: `varianceExplanations[${i}].indicatorId`,
            message: 'no such indicator in the approved logframe',
          });
      });
      for (const ind of current.indicators) {
        if (ind.needsExplanation && !(explanations.get(ind.id) ?? ind.varianceExplanation)?.trim()) {
          errors.push({
            path: 'varianceExplanations',
            message: `Indicator ${ind.code} is ${ind.status} (achievement ${ind.achievementPercent ?? '–'} %): explain the variance`,
          });
        }
      }
      if (errors.length)
        throw DomainException.unprocessable(
          ErrorCode.QUARTER_INCOMPLETE,
          `${quarterLabel(year, quarter)} cannot be submitted yet: ${errors.length} item(s) missing`,
          errors,
          { count: errors.length },
        );
      for (const r of outcomeRatings) {
        await m.query(
          `INSERT INTO outcome_rating (progress_report_id, outcome_stable_id, rating, justification) VALUES ($1, $2, $3, $4)
           ON CONFLICT (progress_report_id, outcome_stable_id) DO UPDATE SET rating = EXCLUDED.rating, justification = EXCLUDED.justification, updated_at = now()`,
          [progress.id, r.outcomeId, r.rating, r.justification],
        );
      }
      for (const v of varianceExplanations) {
        await m.query(
          `INSERT INTO variance_explanation (progress_report_id, indicator_series_id, explanation) VALUES ($1, $2, $3)
           ON CONFLICT (progress_report_id, indicator_series_id) DO UPDATE SET explanation = EXCLUDED.explanation, updated_at = now()`,
          [progress.id, v.indicatorId, v.explanation],
        );
      }
      for (const u of submission.assumptionUpdates ?? []) {
        await m.query(
          `INSERT INTO assumption_update (project_id, assumption_stable_id, year, quarter, status, note, created_by_id) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (assumption_stable_id, year, quarter) DO UPDATE SET status = EXCLUDED.status, note = EXCLUDED.note, updated_at = now()`,
          [projectId, u.assumptionId, year, quarter, u.status, u.note ?? null, user.id],
        );
      }
      await this.transition(
        m,
        progress,
        'submitted',
        user.id,
        'progress.submit',
        { submittedById: user.id, submittedAt: new Date() },
        {
          outcomeRatings,
          varianceExplanations,
          assumptionUpdates: submission.assumptionUpdates ?? [],
        },
      );
    });
    return this.read(projectId, year, quarter);
  }

  /**
   * Saves the quarter's story as a draft (issue 12): outcome ratings with justification, explanations
   * of variance, the assumptions/risks update and the narrative. Each part given replaces that part
   * wholly; parts left out stay. One transaction under the quarter's row lock, with its audit row; the
   * story's version and the quarter's version both go up by one.
   * @throws DomainException conflict (stale `version`, or the quarter is submitted or validated),
   *   unprocessable (an id not in the approved logframe, with its path), not_found
   */
  async saveStory(
    project: ProjectEntity,
    year: number,
    quarter: number,
    draft: QuarterStoryDraft,
    user: AuthUser,
  ): Promise<QuarterStory> {
    await this.dataSource.transaction(async (m) => {
      const progress = await this.lockProgress(m, project.id, year, quarter, true);
      if (progress.status === 'submitted' || progress.status === 'validated')
        throw DomainException.conflict(
          ErrorCode.QUARTER_LOCKED,
          `${quarterLabel(year, quarter)} is ${progress.status}: its story is locked${progress.status === 'validated' ? ' (a focal point may reopen it with a reason)' : ''}`,
        );
      const saved = await m.getRepository(ProgressNarrativeEntity).findOneBy({ progressReportId: progress.id });
      const current = saved?.version ?? 0;
      if (current !== draft.version)
        throw DomainException.conflict(
          ErrorCode.STALE_VERSION,
          `The story of ${quarterLabel(year, quarter)} changed since you read it (version ${current}, yours ${draft.version}); nothing was saved: reload it`,
          [{ path: 'version', message: `is ${draft.version}, current is ${current}` }],
        );
      const tree = await this.approvedTree(m, project.id);
      const outcomeIds = new Set(tree.outcomes.map((o) => o.outcome.stableId));
      const indicatorIds = new Set(allIndicators(tree).map((i) => i.stableId));
      const assumptionIds = new Set(
        [
          ...tree.projectAssumptions,
          ...tree.outcomes.flatMap((o) => [...o.assumptions, ...o.outputs.flatMap((p) => p.assumptions)]),
          ...tree.unlinkedOutputs.flatMap((p) => p.assumptions),
        ].map((a) => a.stableId),
      );
      const errors: FieldError[] = [];
      draft.outcomeRatings?.forEach((r, i) => {
        if (!outcomeIds.has(r.outcomeId))
          errors.push({ path: `outcomeRatings[${i}].outcomeId`, message: 'no such outcome in the approved logframe' });
      });
      draft.varianceExplanations?.forEach((v, i) => {
        if (!indicatorIds.has(v.indicatorId))
          errors.push({
            path: `varianceExplanations[${i}].indicatorId`,
            message: 'no such indicator in the approved logframe',
          });
      });
      draft.assumptionUpdates?.forEach((u, i) => {
        if (!assumptionIds.has(u.assumptionId))
          errors.push({
            path: `assumptionUpdates[${i}].assumptionId`,
            message: 'no such assumption or risk in the approved logframe',
          });
      });
      const duplicate = (items: { id: string }[] | undefined, path: string, field: string) => {
        const seen = new Set<string>();
        items?.forEach((x, i) => {
          if (seen.has(x.id)) errors.push({ path: `${path}[${i}].${field}`, message: 'is given twice' });
          seen.add(x.id);
        });
      };
      duplicate(
        draft.outcomeRatings?.map((r) => ({ id: r.outcomeId })),
        'outcomeRatings',
        'outcomeId',
      );
      duplicate(
        draft.varianceExplanations?.map((v) => ({ id: v.indicatorId })),
        'varianceExplanations',
        'indicatorId',
      );
      duplicate(
        draft.assumptionUpdates?.map((u) => ({ id: u.assumptionId })),
        'assumptionUpdates',
        'assumptionId',
      );
      if (errors.length)
        throw DomainException.unprocessable(
          ErrorCode.RULE_VIOLATED,
          `The story of ${quarterLabel(year, quarter)} was not saved: ${errors.length} problem(s)`,
          errors,
        );
      const before = await this.loadStory(m, progress, project.id, tree);
      if (draft.outcomeRatings) {
        await m.query(
          `DELETE FROM outcome_rating WHERE progress_report_id = $1 AND NOT (outcome_stable_id = ANY($2))`,
          [progress.id, draft.outcomeRatings.map((r) => r.outcomeId)],
        );
        for (const r of draft.outcomeRatings)
          await m.query(
            `INSERT INTO outcome_rating (progress_report_id, outcome_stable_id, rating, justification) VALUES ($1, $2, $3, $4)
             ON CONFLICT (progress_report_id, outcome_stable_id) DO UPDATE SET rating = EXCLUDED.rating, justification = EXCLUDED.justification, updated_at = now()`,
            [progress.id, r.outcomeId, r.rating, r.justification],
          );
      }
      if (draft.varianceExplanations) {
        await m.query(
          `DELETE FROM variance_explanation WHERE progress_report_id = $1 AND NOT (indicator_series_id = ANY($2))`,
          [progress.id, draft.varianceExplanations.map((v) => v.indicatorId)],
        );
        for (const v of draft.varianceExplanations)
          await m.query(
            `INSERT INTO variance_explanation (progress_report_id, indicator_series_id, explanation) VALUES ($1, $2, $3)
             ON CONFLICT (progress_report_id, indicator_series_id) DO UPDATE SET explanation = EXCLUDED.explanation, updated_at = now()`,
            [progress.id, v.indicatorId, v.explanation],
          );
      }
      if (draft.assumptionUpdates) {
        await m.query(
          `DELETE FROM assumption_update WHERE project_id = $1 AND year = $2 AND quarter = $3 AND NOT (assumption_stable_id = ANY($4))`,
          [project.id, year, quarter, draft.assumptionUpdates.map((u) => u.assumptionId)],
        );
        for (const u of draft.assumptionUpdates)
          await m.query(
            `INSERT INTO assumption_update (project_id, assumption_stable_id, year, quarter, status, note, created_by_id) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (assumption_stable_id, year, quarter) DO UPDATE SET status = EXCLUDED.status, note = EXCLUDED.note, updated_at = now()`,
            [project.id, u.assumptionId, year, quarter, u.status, u.note ?? null, user.id],
          );
      }
      const text = (v: string | null | undefined) => (v === undefined || v === null || !v.trim() ? null : v);
      const narrative: QuarterNarrativeText = draft.narrative
        ? {
            progressSummary: text(draft.narrative.progressSummary),
            challenges: text(draft.narrative.challenges),
            lessonsLearned: text(draft.narrative.lessonsLearned),
            nextQuarter: text(draft.narrative.nextQuarter),
          }
        : before.narrative;
      if (saved) {
        const result = await m
          .createQueryBuilder()
          .update(ProgressNarrativeEntity)
          .set({ ...narrative, updatedById: user.id, version: () => 'version + 1' } as never)
          .where('progress_report_id = :id AND version = :version', { id: progress.id, version: current })
          .execute();
        if (result.affected !== 1)
          throw DomainException.conflict(
            ErrorCode.CONCURRENT_CHANGE,
            'Someone else saved this story at the same time; reload it',
          );
      } else {
        await m
          .getRepository(ProgressNarrativeEntity)
          .insert({ progressReportId: progress.id, ...narrative, version: 1, updatedById: user.id });
      }
      await m.query(`UPDATE progress_report SET version = version + 1, updated_at = now() WHERE id = $1`, [
        progress.id,
      ]);
      const after = await this.loadStory(m, progress, project.id, tree);
      await m.getRepository(AuditEventEntity).insert({
        projectId: project.id,
        actorId: user.id,
        action: 'progress.story.save',
        entityType: 'progress_report',
        entityId: progress.id,
        before: { quarter: quarterLabel(year, quarter), version: current, ...before },
        after: { quarter: quarterLabel(year, quarter), version: current + 1, ...after },
      });
    });
    return this.readStory(project.id, year, quarter);
  }

  /**
   * The quarter's story as saved (ratings, explanations, assumptions/risks update, narrative), with
   * its version and who saved it last. Before any save: empty lists, null texts, version 0.
   * @throws DomainException not_found when the project has no logframe
   */
  async readStory(
    projectId: string,
    year: number,
    quarter: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<QuarterStory> {
    const revision = await this.reader.revisionInForce(projectId, manager);
    if (!revision) throw DomainException.notFound('Logframe of this project');
    const tree = await this.reader.loadTree(revision.id, manager);
    const range = quarterRange(year, quarter);
    const progress = await manager.getRepository(ProgressReportEntity).findOneBy({ projectId, year, quarter });
    const saved = progress
      ? await manager.getRepository(ProgressNarrativeEntity).findOneBy({ progressReportId: progress.id })
      : null;
    const story = await this.loadStory(manager, progress, projectId, tree, year, quarter);
    const editor: { display_name: string }[] = saved?.updatedById
      ? await manager.query(`SELECT display_name FROM app_user WHERE id = $1`, [saved.updatedById])
      : [];
    return {
      projectId,
      quarter: { year, quarter, label: quarterLabel(year, quarter), start: range.start, end: range.end },
      status: progress?.status ?? 'draft',
      quarterVersion: progress?.version ?? 0,
      version: saved?.version ?? 0,
      ...story,
      savedBy: editor[0] ? { displayName: editor[0].display_name, role: 'project_manager' } : null,
      savedAt: saved ? saved.updatedAt.toISOString() : null,
    };
  }

  /** The saved parts of a quarter's story, with codes from the tree given. */
  private async loadStory(
    m: EntityManager,
    progress: ProgressReportEntity | null,
    projectId: string,
    tree: LogframeTree,
    year = progress?.year ?? 0,
    quarter = progress?.quarter ?? 0,
  ): Promise<Pick<QuarterStory, 'outcomeRatings' | 'varianceExplanations' | 'assumptionUpdates' | 'narrative'>> {
    const outcomeCodes = new Map(tree.outcomes.map((o) => [o.outcome.stableId, o.outcome.code]));
    const indicatorCodes = new Map(allIndicators(tree).map((i) => [i.stableId, i.code]));
    const ratings = progress
      ? await m.getRepository(OutcomeRatingEntity).findBy({ progressReportId: progress.id })
      : [];
    const explanations = progress
      ? await m.getRepository(VarianceExplanationEntity).findBy({ progressReportId: progress.id })
      : [];
    const updates: { assumption_stable_id: string; status: string; note: string | null }[] = await m.query(
      `SELECT assumption_stable_id, status, note FROM assumption_update WHERE project_id = $1 AND year = $2 AND quarter = $3 ORDER BY assumption_stable_id`,
      [projectId, year, quarter],
    );
    const saved = progress
      ? await m.getRepository(ProgressNarrativeEntity).findOneBy({ progressReportId: progress.id })
      : null;
    return {
      outcomeRatings: ratings
        .map((r) => ({
          outcomeId: r.outcomeStableId,
          outcomeCode: outcomeCodes.get(r.outcomeStableId) ?? '',
          rating: r.rating,
          justification: r.justification,
        }))
        .sort((a, b) => a.outcomeCode.localeCompare(b.outcomeCode)),
      varianceExplanations: explanations
        .map((e) => ({
          indicatorId: e.indicatorSeriesId,
          indicatorCode: indicatorCodes.get(e.indicatorSeriesId) ?? '',
          explanation: e.explanation,
        }))
        .sort((a, b) => a.indicatorCode.localeCompare(b.indicatorCode)),
      assumptionUpdates: updates.map((u) => ({ assumptionId: u.assumption_stable_id, status: u.status, note: u.note })),
      narrative: saved
        ? {
            progressSummary: saved.progressSummary,
            challenges: saved.challenges,
            lessonsLearned: saved.lessonsLearned,
            nextQuarter: saved.nextQuarter,
          }
        : { ...EMPTY_NARRATIVE },
    };
  }

  /** Validates a submitted quarter. @throws DomainException forbidden (four eyes), conflict */
  async validateQuarter(
    projectId: string,
    year: number,
    quarter: number,
    version: number,
    user: AuthUser,
  ): Promise<QuarterProgress> {
    await this.dataSource.transaction(async (m) => {
      const progress = await this.lockProgress(m, projectId, year, quarter, false);
      this.expectVersion(progress, version);
      if (progress.status !== 'submitted')
        throw DomainException.conflict(
          ErrorCode.INVALID_STATE,
          `${quarterLabel(year, quarter)} is ${progress.status}: only a submitted quarter can be validated`,
          [],
          { status: progress.status },
        );
      if (progress.submittedById === user.id)
        throw DomainException.forbidden(
          ErrorCode.FOUR_EYES,
          'You submitted this quarter: another RBM focal point must validate it (four eyes)',
        );
      const { start, end } = quarterRange(year, quarter);
      const [entered] = await m.query(
        `SELECT 1 AS hit FROM actual a JOIN indicator_series s ON s.id = a.indicator_series_id WHERE s.project_id = $1 AND a.period_end BETWEEN $2 AND $3 AND a.entered_by_id = $4 LIMIT 1`,
        [projectId, start, end, user.id],
      );
      if (entered)
        throw DomainException.forbidden(
          ErrorCode.FOUR_EYES,
          'You entered actuals of this quarter: another RBM focal point must validate it (four eyes)',
        );
      await this.transition(m, progress, 'validated', user.id, 'progress.validate', {
        validatedById: user.id,
        validatedAt: new Date(),
      });
    });
    return this.read(projectId, year, quarter);
  }

  /** Returns a submitted quarter with a comment (required). @throws DomainException conflict, unprocessable */
  async returnQuarter(
    projectId: string,
    year: number,
    quarter: number,
    version: number,
    comment: string,
    user: AuthUser,
  ): Promise<QuarterProgress> {
    if (!comment.trim())
      throw DomainException.unprocessable(
        ErrorCode.REASON_REQUIRED,
        'Say why the quarter is returned',
        [{ path: 'comment', code: 'required', message: 'is required' }],
        { field: 'comment' },
      );
    await this.dataSource.transaction(async (m) => {
      const progress = await this.lockProgress(m, projectId, year, quarter, false);
      this.expectVersion(progress, version);
      if (progress.status !== 'submitted')
        throw DomainException.conflict(
          ErrorCode.INVALID_STATE,
          `${quarterLabel(year, quarter)} is ${progress.status}: only a submitted quarter can be returned`,
          [],
          { status: progress.status },
        );
      await m.getRepository(ReviewCommentEntity).insert({
        projectId,
        progressReportId: progress.id,
        revisionId: null,
        authorId: user.id,
        body: comment,
        elementType: null,
        elementStableId: null,
      });
      await this.transition(m, progress, 'returned', user.id, 'progress.return', {}, { comment });
    });
    return this.read(projectId, year, quarter);
  }

  /**
   * Reopens a validated quarter with a reason (a restatement): it goes back to draft, marked
   * restated, and later reports flag its figures as restated. @throws DomainException conflict, unprocessable
   */
  async reopenQuarter(
    projectId: string,
    year: number,
    quarter: number,
    version: number,
    reason: string,
    user: AuthUser,
  ): Promise<QuarterProgress> {
    if (!reason.trim())
      throw DomainException.unprocessable(
        ErrorCode.REASON_REQUIRED,
        'Say why the validated quarter is reopened',
        [{ path: 'reason', code: 'required', message: 'is required' }],
        { field: 'reason' },
      );
    await this.dataSource.transaction(async (m) => {
      const progress = await this.lockProgress(m, projectId, year, quarter, false);
      this.expectVersion(progress, version);
      if (progress.status !== 'validated')
        throw DomainException.conflict(
          ErrorCode.INVALID_STATE,
          `${quarterLabel(year, quarter)} is ${progress.status}: only a validated quarter can be reopened`,
          [],
          { status: progress.status },
        );
      await this.transition(
        m,
        progress,
        'draft',
        user.id,
        'progress.reopen',
        {
          reopenReason: reason,
          restated: true,
          submittedById: null,
          submittedAt: null,
          validatedById: null,
          validatedAt: null,
        },
        { reason },
      );
    });
    return this.read(projectId, year, quarter);
  }

  /**
   * A quarter's progress: every indicator of the revision in force evaluated at the quarter's end
   * (DESIGN.md §5), with the workflow state, ratings and explanations. Constant number of queries.
   */
  async read(
    projectId: string,
    year: number,
    quarter: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<QuarterProgress> {
    const revision = await this.reader.revisionInForce(projectId, manager);
    if (!revision) throw DomainException.notFound('Logframe of this project');
    const range = quarterRange(year, quarter);
    const tree = await this.reader.loadTree(revision.id, manager);
    const settings = await settingsInForce(manager);
    if (!settings) throw new Error('rbm_settings is empty: run the migrations');
    const nodes = indicatorNodes(tree);
    const actuals = await this.progressRead.actualsToDate(
      nodes.map((n) => n.indicator.stableId),
      range.end,
      manager,
    );
    const record = (await this.progressRead.quarterRecords([projectId], year, quarter, manager)).get(projectId);
    const progress = record?.progress ?? null;
    const thresholds = settingsThresholds(settings);
    return {
      projectId,
      quarter: { year, quarter, label: quarterLabel(year, quarter), start: range.start, end: range.end },
      status: progress?.status ?? 'draft',
      version: progress?.version ?? 0,
      restated: progress?.restated ?? false,
      reopenReason: progress?.reopenReason ?? null,
      revision: { number: revision.number, status: revision.status },
      outcomes: tree.outcomes.map((o) => {
        const r = record?.outcomeRatings.get(o.outcome.stableId);
        return {
          id: o.outcome.stableId,
          code: o.outcome.code,
          statement: o.outcome.statement,
          rating: r ? { rating: r.rating, justification: r.justification } : null,
        };
      }),
      indicators: nodes.map((node) => {
        const row = indicatorRow(
          node,
          actuals.get(node.indicator.stableId) ?? [],
          range.end,
          range,
          thresholds,
          settings.validationCutoffDays,
        );
        return {
          ...row,
          varianceExplanation: record?.varianceExplanations.get(node.indicator.stableId) ?? null,
          needsExplanation: row.status === 'at_risk' || row.status === 'off_track',
        };
      }),
      actuals: await this.quarterActuals(
        manager,
        nodes.map((n) => n.indicator.stableId),
        range,
      ),
    };
  }

  /** Actuals of one indicator over time, with their disaggregations and the period targets of the revision in force. */
  async series(
    projectId: string,
    indicatorId: string,
  ): Promise<{
    indicatorId: string;
    code: string;
    measure: string;
    unit: string | null;
    periodTargets: { periodStart: string; periodEnd: string; value: string | null }[];
    actuals: (ActualEntity & { disaggregations: ActualDisaggregationEntity[] })[];
  }> {
    const revision = await this.reader.revisionInForce(projectId);
    if (!revision) throw DomainException.notFound('Logframe of this project');
    const tree = await this.reader.loadTree(revision.id);
    const node = indicatorNodes(tree).find((n) => n.indicator.stableId === indicatorId);
    if (!node) throw DomainException.notFound('Indicator');
    const actuals = await this.dataSource
      .getRepository(ActualEntity)
      .find({ where: { indicatorSeriesId: indicatorId }, order: { periodEnd: 'ASC', periodStart: 'ASC' } });
    const parts = actuals.length
      ? await this.dataSource
          .getRepository(ActualDisaggregationEntity)
          .findBy({ actualId: In(actuals.map((a) => a.id)) })
      : [];
    return {
      indicatorId,
      code: node.indicator.code,
      measure: node.indicator.measure,
      unit: node.indicator.unit,
      periodTargets: node.periodTargets.map((t) => ({
        periodStart: t.periodStart,
        periodEnd: t.periodEnd,
        value: t.value,
      })),
      actuals: actuals.map((a) => ({ ...a, disaggregations: parts.filter((p) => p.actualId === a.id) })),
    };
  }

  private checkValue(
    indicator: IndicatorEntity,
    e: ActualInput,
    fail: (field: string, message: string) => void,
  ): {
    value: string | null;
    numerator: string | null;
    denominator: string | null;
    text: string | null;
    rating: MilestoneRating | null;
  } {
    const has = (v: unknown) => v !== null && v !== undefined;
    switch (indicator.measure) {
      case 'qualitative':
        if (has(e.value) || has(e.numerator) || has(e.denominator))
          fail('value', `${indicator.code} is qualitative: give text and a milestone rating, not numbers`);
        if (!e.text?.trim()) fail('text', `${indicator.code} is qualitative: describe what was achieved`);
        if (!e.rating)
          fail(
            'rating',
            `${indicator.code} is qualitative: rate the milestone (achieved, partly_achieved, not_achieved)`,
          );
        return { value: null, numerator: null, denominator: null, text: e.text ?? null, rating: e.rating ?? null };
      case 'percentage': {
        if (has(e.text) || has(e.rating))
          fail('text', `${indicator.code} is quantitative: free text is not a value (use comment)`);
        if (!has(e.numerator) || !has(e.denominator)) {
          fail(
            has(e.numerator) ? 'denominator' : 'numerator',
            `${indicator.code} is a percentage: give the numerator and the denominator`,
          );
          return { value: null, numerator: null, denominator: null, text: null, rating: null };
        }
        const num = new CalcDecimal(e.numerator!);
        const den = new CalcDecimal(e.denominator!);
        if (!den.greaterThan(0)) fail('denominator', 'must be greater than 0');
        if (num.isNegative()) fail('numerator', 'must not be negative');
        const value = den.greaterThan(0) ? num.times(100).dividedBy(den).toDecimalPlaces(10) : null;
        if (has(e.value) && value && !new CalcDecimal(e.value!).toDecimalPlaces(6).equals(value.toDecimalPlaces(6)))
          fail(
            'value',
            `is ${e.value} but ${e.numerator}/${e.denominator} is ${value.toDecimalPlaces(4).toString()} %`,
          );
        return {
          value: value?.toString() ?? null,
          numerator: num.toString(),
          denominator: den.toString(),
          text: null,
          rating: null,
        };
      }
      default: {
        if (has(e.text) || has(e.rating))
          fail('text', `${indicator.code} is quantitative: free text is not a value (use comment)`);
        if (has(e.numerator) || has(e.denominator))
          fail(
            'numerator',
            `numerator and denominator are only for percentage indicators (${indicator.code} measures '${indicator.measure}')`,
          );
        if (!has(e.value)) {
          fail('value', `${indicator.code} needs a value`);
          return { value: null, numerator: null, denominator: null, text: null, rating: null };
        }
        const value = new CalcDecimal(e.value!);
        const scale = indicator.ordinalScale;
        if (indicator.measure === 'ordinal' && scale && (value.lessThan(scale.min) || value.greaterThan(scale.max)))
          fail('value', `must be on the scale ${scale.min}–${scale.max}`);
        return { value: value.toString(), numerator: null, denominator: null, text: null, rating: null };
      }
    }
  }

  /**
   * Optimistic concurrency per actual: each entry carries the version it was read at (none for an
   * actual that did not exist). Any stale entry makes the whole save a 409 (nothing saved) that lists,
   * per indicator and period, the current value, its version, who saved it and when; entries of
   * other indicators are not affected by each other. Runs under the quarter's row lock, so the check
   * and the write cannot interleave with another save of the same quarter.
   * @throws DomainException conflict listing each stale actual (`path` actuals[i].version, `current`)
   */
  private async checkVersions(
    m: EntityManager,
    entries: ActualInput[],
    valid: { indicator: IndicatorEntity; periodStart: string; periodEnd: string; entry: ActualInput }[],
    find: (r: { indicator: IndicatorEntity; periodStart: string; periodEnd: string }) => ActualEntity | undefined,
    year: number,
    quarter: number,
  ): Promise<void> {
    const stale: { index: number; r: (typeof valid)[number]; row: ActualEntity | undefined }[] = [];
    for (const r of valid) {
      const row = find(r);
      const given = r.entry.version ?? null;
      if ((row?.version ?? null) !== given) stale.push({ index: entries.indexOf(r.entry), r, row });
    }
    if (!stale.length) return;
    const userIds = [...new Set(stale.map((s) => s.row?.enteredById).filter((id): id is string => !!id))];
    const users: { id: string; email: string }[] = userIds.length
      ? await m.query(`SELECT id, email FROM app_user WHERE id = ANY($1)`, [userIds])
      : [];
    const num = (v: string | null) => (v === null ? null : Number(v));
    throw DomainException.conflict(
      ErrorCode.STALE_VERSION,
      `${stale.length} actual(s) of ${quarterLabel(year, quarter)} changed since you read them; nothing was saved: reload, compare and save again`,
      stale.map(({ index, r, row }) => {
        const period = `${r.periodStart}..${r.periodEnd}`;
        const given = r.entry.version ?? null;
        const savedBy = row?.enteredById ? (users.find((u) => u.id === row.enteredById)?.email ?? null) : null;
        return {
          path: `actuals[${index}].version`,
          message: row
            ? `${r.indicator.code} ${period} is at version ${row.version}${given === null ? ' (you sent none: it did not exist when you read it)' : `, you read version ${given}`}; saved by ${savedBy ?? 'an import'} at ${row.updatedAt.toISOString()}`
            : `${r.indicator.code} ${period} has no saved actual: send it without a version`,
          current: row
            ? {
                indicatorId: r.indicator.stableId,
                indicatorCode: r.indicator.code,
                periodStart: row.periodStart,
                periodEnd: row.periodEnd,
                value: num(row.value),
                numerator: num(row.numerator),
                denominator: num(row.denominator),
                text: row.text,
                rating: row.rating,
                version: row.version,
                savedBy,
                savedAt: row.updatedAt.toISOString(),
              }
            : null,
        };
      }),
    );
  }

  /** The actuals whose period ends in the quarter, for the read model (one query each for rows and parts). */
  private async quarterActuals(
    manager: EntityManager,
    seriesIds: string[],
    range: { start: string; end: string },
  ): Promise<QuarterActual[]> {
    if (!seriesIds.length) return [];
    const rows: (ActualEntity & { savedBy: string | null })[] = await manager
      .getRepository(ActualEntity)
      .createQueryBuilder('a')
      .leftJoin('app_user', 'u', 'u.id = a.entered_by_id')
      .addSelect('u.email', 'saved_by')
      .where('a.indicator_series_id = ANY(:ids)', { ids: seriesIds })
      .andWhere('a.period_end BETWEEN :start AND :end', range)
      .orderBy('a.period_end')
      .addOrderBy('a.indicator_series_id')
      .getRawAndEntities()
      .then(({ raw, entities }) =>
        entities.map((e) => ({
          ...e,
          savedBy:
            (raw.find((x: { a_id: string }) => x.a_id === e.id) as { saved_by: string | null })?.saved_by ?? null,
        })),
      );
    const parts = rows.length
      ? await manager.getRepository(ActualDisaggregationEntity).findBy({ actualId: In(rows.map((r) => r.id)) })
      : [];
    const num = (v: string | null) => (v === null ? null : Number(v));
    return rows.map((a) => ({
      id: a.id,
      indicatorId: a.indicatorSeriesId,
      periodStart: a.periodStart,
      periodEnd: a.periodEnd,
      value: num(a.value),
      numerator: num(a.numerator),
      denominator: num(a.denominator),
      text: a.text,
      rating: a.rating,
      comment: a.comment,
      evidenceUrl: a.evidenceUrl,
      disaggregations: parts
        .filter((p) => p.actualId === a.id)
        .map((p) => ({
          dimension: p.dimension,
          category: p.category,
          value: num(p.value),
          numerator: num(p.numerator),
          denominator: num(p.denominator),
        })),
      version: a.version,
      provenance: a.provenance,
      savedBy: a.savedBy,
      savedAt: a.updatedAt.toISOString(),
    }));
  }

  private async approvedTree(m: EntityManager, projectId: string): Promise<LogframeTree> {
    const revision = await this.reader.revisionInForce(projectId, m);
    if (!revision || revision.status !== 'approved')
      throw DomainException.unprocessable(
        ErrorCode.NOT_APPROVED,
        'Actuals can be entered only against an approved logframe: submit it for RBM QA review first',
      );
    return this.reader.loadTree(revision.id, m);
  }

  private async lockProgress(
    m: EntityManager,
    projectId: string,
    year: number,
    quarter: number,
    create: boolean,
  ): Promise<ProgressReportEntity> {
    if (create)
      await m.query(
        `INSERT INTO progress_report (project_id, year, quarter, status, version) VALUES ($1, $2, $3, 'draft', 1) ON CONFLICT (project_id, year, quarter) DO NOTHING`,
        [projectId, year, quarter],
      );
    const progress = await m
      .getRepository(ProgressReportEntity)
      .findOne({ where: { projectId, year, quarter }, lock: { mode: 'pessimistic_write' } });
    if (!progress) throw DomainException.notFound(`Progress of ${quarterLabel(year, quarter)}`);
    return progress;
  }

  private expectVersion(progress: ProgressReportEntity, version: number): void {
    if (progress.version !== version)
      throw DomainException.staleVersion(
        `This quarter changed since you read it (version ${progress.version}, yours ${version}); reload it`,
        progress.version,
        version,
        [{ path: 'version', message: `is ${version}, current is ${progress.version}` }],
      );
  }

  private async transition(
    m: EntityManager,
    progress: ProgressReportEntity,
    status: ProgressReportEntity['status'],
    actorId: string,
    action: string,
    fields: Partial<ProgressReportEntity>,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const result = await m
      .createQueryBuilder()
      .update(ProgressReportEntity)
      .set({ ...fields, status, version: () => 'version + 1' } as never)
      .where('id = :id AND version = :version', { id: progress.id, version: progress.version })
      .execute();
    if (result.affected !== 1)
      throw DomainException.conflict(
        ErrorCode.CONCURRENT_CHANGE,
        'Someone else acted on this quarter at the same time; reload it',
      );
    await m.getRepository(AuditEventEntity).insert({
      projectId: progress.projectId,
      actorId,
      action,
      entityType: 'progress_report',
      entityId: progress.id,
      before: {
        quarter: quarterLabel(progress.year, progress.quarter),
        status: progress.status,
        version: progress.version,
      },
      after: {
        quarter: quarterLabel(progress.year, progress.quarter),
        status,
        version: progress.version + 1,
        ...extra,
      },
    });
  }
}

function allIndicators(tree: LogframeTree): IndicatorEntity[] {
  return indicatorNodes(tree).map((n) => n.indicator);
}
