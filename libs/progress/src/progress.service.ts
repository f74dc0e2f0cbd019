import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type AuthUser, PolicyService } from '#libs/auth';
import { quarterLabel, quarterRange } from '#libs/calculations';
import { DomainException, ErrorCode, type FieldError } from '#libs/common';
import {
  type ActualEntity,
  type IndicatorEntity,
  type OutcomeRating,
  type ProgressReportEntity,
  settingsThresholds,
  TransactionRunner,
} from '#libs/database';
import { indicatorNodes, LogframeReader, type LogframeTree, ProjectRepository } from '#libs/logframe';
import { type ActualInput, type CheckedActual, checkActualEntries } from './actual-checks.js';
import { type ActualWithParts, ActualsRepository, type QuarterActual } from './actuals.repository.js';
import { indicatorRow, type ReportIndicatorRow } from './indicator-row.js';
import { ProgressReadRepository } from './progress-read.repository.js';
import { type QuarterNarrativeText, QuarterRepository } from './quarter.repository.js';

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

/** The saved parts of a quarter's story, with codes. */
type StoryParts = Pick<QuarterStory, 'outcomeRatings' | 'varianceExplanations' | 'assumptionUpdates' | 'narrative'>;

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

/** An indicator's time series as read: every actual with its parts, and the period targets in force. */
export interface IndicatorSeries {
  indicatorId: string;
  code: string;
  measure: string;
  unit: string | null;
  periodTargets: { periodStart: string; periodEnd: string; value: string | null }[];
  actuals: ActualWithParts[];
}

/** The stable ids of every assumption and risk of a logframe tree. */
function assumptionIdsOf(tree: LogframeTree): Set<string> {
  return new Set(
    [
      ...tree.projectAssumptions,
      ...tree.outcomes.flatMap((o) => [...o.assumptions, ...o.outputs.flatMap((p) => p.assumptions)]),
      ...tree.unlinkedOutputs.flatMap((p) => p.assumptions),
    ].map((a) => a.stableId),
  );
}

/** `not_found` field errors for the items whose id is not in `known`. */
function unknownIds(
  items: { id: string }[] | undefined,
  known: (id: string) => boolean,
  path: string,
  field: string,
  entity: string,
  message: string,
): FieldError[] {
  return (items ?? []).flatMap((x, i) =>
    known(x.id) ? [] : [{ path: `${path}[${i}].${field}`, code: 'not_found', params: { entity }, message }],
  );
}

/** `duplicate` field errors for the items whose id was given before. */
function repeatedIds(items: { id: string }[] | undefined, path: string, field: string): FieldError[] {
  const seen = new Set<string>();
  return (items ?? []).flatMap((x, i) => {
    const again = seen.has(x.id);
    seen.add(x.id);
    return again ? [{ path: `${path}[${i}].${field}`, code: 'duplicate', params: {}, message: 'is given twice' }] : [];
  });
}

const NO_OUTCOME = 'no such outcome in the approved logframe';
const NO_INDICATOR = 'no such indicator in the approved logframe';
const NO_ASSUMPTION = 'no such assumption or risk in the approved logframe';

/** The audit entry of an actual as it was or is (indicator code, period, values). */
function actualAudit(code: string, a: ActualEntity): Record<string, unknown> {
  return {
    indicator: code,
    period: `${a.periodStart}..${a.periodEnd}`,
    value: a.value,
    numerator: a.numerator,
    denominator: a.denominator,
    text: a.text,
    rating: a.rating,
  };
}

/**
 * Quarterly progress (DESIGN.md §4): bulk entry of a quarter's actuals, and the workflow
 * `draft → submitted → validated | returned`, with `reopen` of a validated quarter (a restatement).
 * Four eyes: whoever submitted the quarter or entered its actuals cannot validate it. Validated and
 * submitted quarters are locked. Every step is one transaction with its audit row. Each public method
 * starts with the policy check of its action on the project (DESIGN.md §1).
 */
@Injectable()
export class ProgressService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly policy: PolicyService,
    private readonly reader: LogframeReader,
    private readonly projects: ProjectRepository,
    private readonly progressRead: ProgressReadRepository,
    private readonly actuals: ActualsRepository,
    private readonly quarters: QuarterRepository,
  ) {}

  /**
   * Enters (or corrects) a whole quarter's actuals in one transaction: all saved or none.
   * @throws DomainException unprocessable (each bad value with its path and why), conflict (quarter locked), not_found
   */
  async enterQuarter(
    projectId: string,
    year: number,
    quarter: number,
    entries: ActualInput[],
    user: AuthUser,
  ): Promise<QuarterProgress> {
    await this.policy.authorizeProject(user, 'progress.enter', projectId);
    const project = await this.projects.get(projectId);
    await this.tx.run(async (m) => {
      const progress = await this.lockProgress(m, project.id, year, quarter, true);
      this.expectUnlocked(progress, 'actuals', [], { year, quarter, status: progress.status });
      const tree = await this.approvedTree(m, project.id);
      const { valid, errors } = checkActualEntries(entries, {
        project,
        year,
        quarter,
        range: quarterRange(year, quarter),
        indicators: new Map(allIndicators(tree).map((i) => [i.stableId, i])),
        retired: await this.actuals.retiredSeriesIds(project.id, m),
      });
      if (errors.length)
        throw DomainException.unprocessable(
          ErrorCode.ACTUALS_INVALID,
          `${errors.length} problem(s) in the actuals of ${quarterLabel(year, quarter)}; nothing was saved`,
          errors,
          { count: errors.length },
        );
      const existing = await this.actuals.ofSeries(
        valid.map((r) => r.indicator.stableId),
        m,
      );
      const find = (r: CheckedActual) =>
        existing.find(
          (a) =>
            a.indicatorSeriesId === r.indicator.stableId &&
            a.periodStart === r.periodStart &&
            a.periodEnd === r.periodEnd,
        );
      await this.checkVersions(m, entries, valid, find, year, quarter);
      const { before, after } = await this.writeActuals(m, valid, find, user);
      await this.quarters.audit(
        {
          projectId: project.id,
          actorId: user.id,
          action: 'actuals.enter',
          progressReportId: progress.id,
          before,
          after: { quarter: quarterLabel(year, quarter), actuals: after },
        },
        m,
      );
      await this.quarters.bumpVersion(progress.id, m);
    });
    return this.quarterProgress(project.id, year, quarter);
  }

  /** Writes the checked actuals, each with its parts. @returns the audit's before and after lists */
  private async writeActuals(
    m: EntityManager,
    valid: CheckedActual[],
    find: (r: CheckedActual) => ActualEntity | undefined,
    user: AuthUser,
  ): Promise<{ before: unknown[]; after: unknown[] }> {
    const before: unknown[] = [];
    const after: unknown[] = [];
    for (const r of valid) {
      const row = find(r);
      if (row) before.push({ ...actualAudit(r.indicator.code, row), provenance: row.provenance });
      const parts = r.entry.disaggregations ?? [];
      const saved = await this.actuals.write(
        row,
        { seriesId: r.indicator.stableId, periodStart: r.periodStart, periodEnd: r.periodEnd },
        {
          ...r.values,
          comment: r.entry.comment ?? null,
          evidenceUrl: r.entry.evidenceUrl ?? null,
          provenance: 'entered',
          enteredById: user.id,
        },
        parts,
        m,
      );
      after.push({ ...actualAudit(r.indicator.code, saved), disaggregations: parts });
    }
    return { before, after };
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
    await this.policy.authorizeProject(user, 'progress.enter', projectId);
    await this.tx.run(async (m) => {
      const progress = await this.lockProgress(m, projectId, year, quarter, true);
      this.expectVersion(progress, submission.version);
      if (progress.status !== 'draft' && progress.status !== 'returned')
        throw DomainException.conflict(
          ErrorCode.INVALID_STATE,
          `${quarterLabel(year, quarter)} is ${progress.status}: only a draft or returned quarter can be submitted`,
          [],
          { status: progress.status },
        );
      const current = await this.quarterProgress(projectId, year, quarter, m);
      const assumptionIds = await this.quarters.approvedAssumptionIds(projectId, m);
      const errors = submissionProblems(current, submission, new Set(assumptionIds));
      if (errors.length)
        throw DomainException.unprocessable(
          ErrorCode.QUARTER_INCOMPLETE,
          `${quarterLabel(year, quarter)} cannot be submitted yet: ${errors.length} item(s) missing`,
          errors,
          { count: errors.length },
        );
      const outcomeRatings = submission.outcomeRatings ?? [];
      const varianceExplanations = submission.varianceExplanations ?? [];
      const assumptionUpdates = submission.assumptionUpdates ?? [];
      await this.quarters.upsertRatings(progress.id, outcomeRatings, m);
      await this.quarters.upsertExplanations(progress.id, varianceExplanations, m);
      await this.quarters.upsertAssumptionUpdates({ projectId, year, quarter }, assumptionUpdates, user.id, m);
      await this.transition(
        m,
        progress,
        'submitted',
        user.id,
        'progress.submit',
        { submittedById: user.id, submittedAt: new Date() },
        { outcomeRatings, varianceExplanations, assumptionUpdates },
      );
    });
    return this.quarterProgress(projectId, year, quarter);
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
    projectId: string,
    year: number,
    quarter: number,
    draft: QuarterStoryDraft,
    user: AuthUser,
  ): Promise<QuarterStory> {
    await this.policy.authorizeProject(user, 'progress.enter', projectId);
    const project = await this.projects.get(projectId);
    await this.tx.run(async (m) => {
      const progress = await this.lockProgress(m, project.id, year, quarter, true);
      this.expectUnlocked(progress, 'story');
      const saved = await this.quarters.narrative(progress.id, m);
      const current = saved?.version ?? 0;
      if (current !== draft.version)
        throw DomainException.conflict(
          ErrorCode.STALE_VERSION,
          `The story of ${quarterLabel(year, quarter)} changed since you read it (version ${current}, yours ${draft.version}); nothing was saved: reload it`,
          [staleField(current, draft.version)],
        );
      const tree = await this.approvedTree(m, project.id);
      const errors = storyDraftProblems(tree, draft);
      if (errors.length)
        throw DomainException.unprocessable(
          ErrorCode.RULE_VIOLATED,
          `The story of ${quarterLabel(year, quarter)} was not saved: ${errors.length} problem(s)`,
          errors,
        );
      const before = await this.loadStory(m, progress, project.id, tree);
      await this.writeStory(m, progress, draft, current, before.narrative, user);
      await this.quarters.bumpVersion(progress.id, m);
      const after = await this.loadStory(m, progress, project.id, tree);
      await this.quarters.audit(
        {
          projectId: project.id,
          actorId: user.id,
          action: 'progress.story.save',
          progressReportId: progress.id,
          before: { quarter: quarterLabel(year, quarter), version: current, ...before },
          after: { quarter: quarterLabel(year, quarter), version: current + 1, ...after },
        },
        m,
      );
    });
    return this.storyOf(project.id, year, quarter);
  }

  /** Writes the parts of a story draft that were given; the narrative keeps `saved` when not given. */
  private async writeStory(
    m: EntityManager,
    progress: ProgressReportEntity,
    draft: QuarterStoryDraft,
    version: number,
    saved: QuarterNarrativeText,
    user: AuthUser,
  ): Promise<void> {
    const { projectId, year, quarter } = progress;
    if (draft.outcomeRatings) await this.quarters.replaceRatings(progress.id, draft.outcomeRatings, m);
    if (draft.varianceExplanations) await this.quarters.replaceExplanations(progress.id, draft.varianceExplanations, m);
    if (draft.assumptionUpdates)
      await this.quarters.replaceAssumptionUpdates({ projectId, year, quarter }, draft.assumptionUpdates, user.id, m);
    const text = (v: string | null | undefined) => (v === undefined || v === null || !v.trim() ? null : v);
    const narrative: QuarterNarrativeText = draft.narrative
      ? {
          progressSummary: text(draft.narrative.progressSummary),
          challenges: text(draft.narrative.challenges),
          lessonsLearned: text(draft.narrative.lessonsLearned),
          nextQuarter: text(draft.narrative.nextQuarter),
        }
      : saved;
    if (!(await this.quarters.saveNarrative(progress.id, version, narrative, user.id, m)))
      throw DomainException.conflict(
        ErrorCode.CONCURRENT_CHANGE,
        'Someone else saved this story at the same time; reload it',
      );
  }

  /**
   * The quarter's story as saved (ratings, explanations, assumptions/risks update, narrative), with
   * its version and who saved it last. Before any save: empty lists, null texts, version 0. Donors
   * (acting only as donors) see validated quarters only.
   * @throws DomainException not_found when the project has no logframe, or for a donor before validation
   */
  async readStory(projectId: string, year: number, quarter: number, user: AuthUser): Promise<QuarterStory> {
    const roles = await this.policy.authorizeProject(user, 'progress.read', projectId);
    const story = await this.storyOf(projectId, year, quarter);
    if (roles.every((r) => r === 'donor') && story.status !== 'validated')
      throw DomainException.notFound(`Validated progress of ${story.quarter.label}`);
    return story;
  }

  private async storyOf(
    projectId: string,
    year: number,
    quarter: number,
    manager?: EntityManager,
  ): Promise<QuarterStory> {
    const revision = await this.reader.revisionInForce(projectId, manager);
    if (!revision) throw DomainException.notFound('Logframe of this project');
    const tree = await this.reader.loadTree(revision.id, manager);
    const range = quarterRange(year, quarter);
    const progress = await this.quarters.find(projectId, year, quarter, manager);
    const saved = progress ? await this.quarters.narrative(progress.id, manager) : null;
    const story = await this.loadStory(manager, progress, projectId, tree, year, quarter);
    const editor = saved?.updatedById ? await this.quarters.displayName(saved.updatedById, manager) : null;
    return {
      projectId,
      quarter: { year, quarter, label: quarterLabel(year, quarter), start: range.start, end: range.end },
      status: progress?.status ?? 'draft',
      quarterVersion: progress?.version ?? 0,
      version: saved?.version ?? 0,
      ...story,
      savedBy: editor !== null ? { displayName: editor, role: 'project_manager' } : null,
      savedAt: saved ? saved.updatedAt.toISOString() : null,
    };
  }

  /** The saved parts of a quarter's story, with codes from the tree given. */
  private async loadStory(
    m: EntityManager | undefined,
    progress: ProgressReportEntity | null,
    projectId: string,
    tree: LogframeTree,
    year = progress?.year ?? 0,
    quarter = progress?.quarter ?? 0,
  ): Promise<StoryParts> {
    const outcomeCodes = new Map(tree.outcomes.map((o) => [o.outcome.stableId, o.outcome.code]));
    const indicatorCodes = new Map(allIndicators(tree).map((i) => [i.stableId, i.code]));
    const record = await this.quarters.story(progress?.id ?? null, projectId, year, quarter, m);
    const saved = record.narrative;
    return {
      outcomeRatings: record.ratings
        .map((r) => ({
          outcomeId: r.outcomeStableId,
          outcomeCode: outcomeCodes.get(r.outcomeStableId) ?? '',
          rating: r.rating,
          justification: r.justification,
        }))
        .sort((a, b) => a.outcomeCode.localeCompare(b.outcomeCode)),
      varianceExplanations: record.explanations
        .map((e) => ({
          indicatorId: e.indicatorSeriesId,
          indicatorCode: indicatorCodes.get(e.indicatorSeriesId) ?? '',
          explanation: e.explanation,
        }))
        .sort((a, b) => a.indicatorCode.localeCompare(b.indicatorCode)),
      assumptionUpdates: record.assumptionUpdates,
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
    await this.policy.authorizeProject(user, 'progress.validate', projectId);
    await this.tx.run(async (m) => {
      const progress = await this.lockProgress(m, projectId, year, quarter, false);
      this.expectVersion(progress, version);
      this.expectStatus(progress, 'submitted', 'validated');
      if (progress.submittedById === user.id)
        throw DomainException.forbidden(
          ErrorCode.FOUR_EYES,
          'You submitted this quarter: another RBM focal point must validate it (four eyes)',
        );
      if (await this.actuals.enteredBy(projectId, quarterRange(year, quarter), user.id, m))
        throw DomainException.forbidden(
          ErrorCode.FOUR_EYES,
          'You entered actuals of this quarter: another RBM focal point must validate it (four eyes)',
        );
      await this.transition(m, progress, 'validated', user.id, 'progress.validate', {
        validatedById: user.id,
        validatedAt: new Date(),
      });
    });
    return this.quarterProgress(projectId, year, quarter);
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
    await this.policy.authorizeProject(user, 'progress.validate', projectId);
    if (!comment.trim())
      throw DomainException.unprocessable(
        ErrorCode.REASON_REQUIRED,
        'Say why the quarter is returned',
        [{ path: 'comment', code: 'required', params: {}, message: 'is required' }],
        { field: 'comment' },
      );
    await this.tx.run(async (m) => {
      const progress = await this.lockProgress(m, projectId, year, quarter, false);
      this.expectVersion(progress, version);
      this.expectStatus(progress, 'submitted', 'returned');
      await this.quarters.addReturnComment(progress, user.id, comment, m);
      await this.transition(m, progress, 'returned', user.id, 'progress.return', {}, { comment });
    });
    return this.quarterProgress(projectId, year, quarter);
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
    await this.policy.authorizeProject(user, 'progress.validate', projectId);
    if (!reason.trim())
      throw DomainException.unprocessable(
        ErrorCode.REASON_REQUIRED,
        'Say why the validated quarter is reopened',
        [{ path: 'reason', code: 'required', params: {}, message: 'is required' }],
        { field: 'reason' },
      );
    await this.tx.run(async (m) => {
      const progress = await this.lockProgress(m, projectId, year, quarter, false);
      this.expectVersion(progress, version);
      this.expectStatus(progress, 'validated', 'reopened');
      const fields = {
        reopenReason: reason,
        restated: true,
        submittedById: null,
        submittedAt: null,
        validatedById: null,
        validatedAt: null,
      };
      await this.transition(m, progress, 'draft', user.id, 'progress.reopen', fields, { reason });
    });
    return this.quarterProgress(projectId, year, quarter);
  }

  /**
   * A quarter's progress: every indicator of the revision in force evaluated at the quarter's end
   * (DESIGN.md §5), with the workflow state, ratings and explanations. Constant number of queries.
   * Donors (acting only as donors) see validated quarters of an approved logframe only.
   * @throws DomainException not_found (no logframe; for a donor, a quarter not validated)
   */
  async read(projectId: string, year: number, quarter: number, user: AuthUser): Promise<QuarterProgress> {
    const roles = await this.policy.authorizeProject(user, 'progress.read', projectId);
    const result = await this.quarterProgress(projectId, year, quarter);
    if (roles.every((r) => r === 'donor') && (result.status !== 'validated' || result.revision.status !== 'approved'))
      throw DomainException.notFound(`Validated progress of ${result.quarter.label}`);
    return result;
  }

  private async quarterProgress(
    projectId: string,
    year: number,
    quarter: number,
    manager?: EntityManager,
  ): Promise<QuarterProgress> {
    const revision = await this.reader.revisionInForce(projectId, manager);
    if (!revision) throw DomainException.notFound('Logframe of this project');
    const range = quarterRange(year, quarter);
    const tree = await this.reader.loadTree(revision.id, manager);
    const settings = await this.quarters.settings(manager);
    if (!settings) throw new Error('rbm_settings is empty: run the migrations');
    const nodes = indicatorNodes(tree);
    const seriesIds = nodes.map((n) => n.indicator.stableId);
    const actuals = await this.progressRead.actualsToDate(seriesIds, range.end, manager);
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
      actuals: await this.actuals.quarterActuals(seriesIds, range, manager),
    };
  }

  /**
   * Actuals of one indicator over time, with their disaggregations and the period targets of the revision in force.
   * @throws DomainException not_found (no logframe, or no such indicator in it)
   */
  async series(projectId: string, indicatorId: string, user: AuthUser): Promise<IndicatorSeries> {
    await this.policy.authorizeProject(user, 'audit.read', projectId);
    const revision = await this.reader.revisionInForce(projectId);
    if (!revision) throw DomainException.notFound('Logframe of this project');
    const tree = await this.reader.loadTree(revision.id);
    const node = indicatorNodes(tree).find((n) => n.indicator.stableId === indicatorId);
    if (!node) throw DomainException.notFound('Indicator');
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
      actuals: await this.actuals.seriesWithParts(indicatorId),
    };
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
    valid: CheckedActual[],
    find: (r: CheckedActual) => ActualEntity | undefined,
    year: number,
    quarter: number,
  ): Promise<void> {
    const stale: { index: number; r: CheckedActual; row: ActualEntity | undefined }[] = [];
    for (const r of valid) {
      const row = find(r);
      const given = r.entry.version ?? null;
      if ((row?.version ?? null) !== given) stale.push({ index: entries.indexOf(r.entry), r, row });
    }
    if (!stale.length) return;
    const userIds = [...new Set(stale.map((s) => s.row?.enteredById).filter((id): id is string => !!id))];
    const emails = await this.actuals.emailsOf(userIds, m);
    throw DomainException.conflict(
      ErrorCode.STALE_VERSION,
      `${stale.length} actual(s) of ${quarterLabel(year, quarter)} changed since you read them; nothing was saved: reload, compare and save again`,
      stale.map(({ index, r, row }) => staleActual(index, r, row, emails)),
    );
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
    const progress = await this.quarters.lock(projectId, year, quarter, create, m);
    if (!progress) throw DomainException.notFound(`Progress of ${quarterLabel(year, quarter)}`);
    return progress;
  }

  /** A submitted or validated quarter's actuals and story are locked. @throws DomainException conflict QUARTER_LOCKED */
  private expectUnlocked(
    progress: ProgressReportEntity,
    what: 'actuals' | 'story',
    errors: FieldError[] = [],
    params: Record<string, string | number> = {},
  ): void {
    if (progress.status !== 'submitted' && progress.status !== 'validated') return;
    const label = quarterLabel(progress.year, progress.quarter);
    const verb = what === 'actuals' ? 'its actuals are locked' : 'its story is locked';
    const hint = progress.status === 'validated' ? ' (a focal point may reopen it with a reason)' : '';
    throw DomainException.conflict(
      ErrorCode.QUARTER_LOCKED,
      `${label} is ${progress.status}: ${verb}${hint}`,
      errors,
      params,
    );
  }

  /** @throws DomainException conflict INVALID_STATE unless the quarter is in `status` */
  private expectStatus(progress: ProgressReportEntity, status: ProgressReportEntity['status'], action: string): void {
    if (progress.status !== status)
      throw DomainException.conflict(
        ErrorCode.INVALID_STATE,
        `${quarterLabel(progress.year, progress.quarter)} is ${progress.status}: only a ${status} quarter can be ${action}`,
        [],
        { status: progress.status },
      );
  }

  private expectVersion(progress: ProgressReportEntity, version: number): void {
    if (progress.version !== version)
      throw DomainException.staleVersion(
        `This quarter changed since you read it (version ${progress.version}, yours ${version}); reload it`,
        progress.version,
        version,
        [staleField(progress.version, version)],
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
    if (!(await this.quarters.transition(progress, status, fields, m)))
      throw DomainException.conflict(
        ErrorCode.CONCURRENT_CHANGE,
        'Someone else acted on this quarter at the same time; reload it',
      );
    const quarter = quarterLabel(progress.year, progress.quarter);
    await this.quarters.audit(
      {
        projectId: progress.projectId,
        actorId,
        action,
        progressReportId: progress.id,
        before: { quarter, status: progress.status, version: progress.version },
        after: { quarter, status, version: progress.version + 1, ...extra },
      },
      m,
    );
  }
}

function allIndicators(tree: LogframeTree): IndicatorEntity[] {
  return indicatorNodes(tree).map((n) => n.indicator);
}

/** The field error of a stale `version` (`stale_version` with the current version and yours). */
function staleField(current: number, yours: number): FieldError {
  return {
    path: 'version',
    code: 'stale_version',
    params: { current, yours },
    message: `is ${yours}, current is ${current}`,
  };
}

/** The field error of one stale actual of a bulk entry, with the actual as it is now. */
function staleActual(
  index: number,
  r: CheckedActual,
  row: ActualEntity | undefined,
  emails: Map<string, string>,
): FieldError {
  const period = `${r.periodStart}..${r.periodEnd}`;
  const given = r.entry.version ?? null;
  const savedBy = row?.enteredById ? (emails.get(row.enteredById) ?? null) : null;
  const num = (v: string | null) => (v === null ? null : Number(v));
  const params = { indicator: r.indicator.code, periodStart: r.periodStart, periodEnd: r.periodEnd, yours: given };
  if (!row)
    return {
      path: `actuals[${index}].version`,
      code: 'not_saved',
      params,
      message: `${r.indicator.code} ${period} has no saved actual: send it without a version`,
      current: null,
    };
  return {
    path: `actuals[${index}].version`,
    code: 'stale_version',
    params: { ...params, current: row.version },
    message: `${r.indicator.code} ${period} is at version ${row.version}${given === null ? ' (you sent none: it did not exist when you read it)' : `, you read version ${given}`}; saved by ${savedBy ?? 'an import'} at ${row.updatedAt.toISOString()}`,
    current: {
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
    },
  };
}

/** The problems of a story draft: ids not in the approved logframe, ids given twice. */
function storyDraftProblems(tree: LogframeTree, draft: QuarterStoryDraft): FieldError[] {
  const outcomeIds = new Set(tree.outcomes.map((o) => o.outcome.stableId));
  const indicatorIds = new Set(allIndicators(tree).map((i) => i.stableId));
  const assumptionIds = assumptionIdsOf(tree);
  const ratings = draft.outcomeRatings?.map((r) => ({ id: r.outcomeId }));
  const explanations = draft.varianceExplanations?.map((v) => ({ id: v.indicatorId }));
  const updates = draft.assumptionUpdates?.map((u) => ({ id: u.assumptionId }));
  return [
    ...unknownIds(ratings, (id) => outcomeIds.has(id), 'outcomeRatings', 'outcomeId', 'outcome', NO_OUTCOME),
    ...unknownIds(
      explanations,
      (id) => indicatorIds.has(id),
      'varianceExplanations',
      'indicatorId',
      'indicator',
      NO_INDICATOR,
    ),
    ...unknownIds(
      updates,
      (id) => assumptionIds.has(id),
      'assumptionUpdates',
      'assumptionId',
      'assumption',
      NO_ASSUMPTION,
    ),
    ...repeatedIds(ratings, 'outcomeRatings', 'outcomeId'),
    ...repeatedIds(explanations, 'varianceExplanations', 'indicatorId'),
    ...repeatedIds(updates, 'assumptionUpdates', 'assumptionId'),
  ];
}

/**
 * What keeps a quarter from being submitted: unknown ids, empty justifications, outcomes without a
 * rating (given or saved), at-risk or off-track indicators without an explanation (given or saved).
 */
function submissionProblems(
  current: QuarterProgress,
  submission: QuarterSubmission,
  assumptionIds: Set<string>,
): FieldError[] {
  const errors: FieldError[] = [];
  const outcomeRatings = submission.outcomeRatings ?? [];
  const ratings = new Map(outcomeRatings.map((r) => [r.outcomeId, r]));
  outcomeRatings.forEach((r, i) => {
    if (!current.outcomes.some((o) => o.id === r.outcomeId))
      errors.push({ path: `outcomeRatings[${i}].outcomeId`, ...notFound('outcome', NO_OUTCOME) });
    if (!r.justification.trim())
      errors.push({ path: `outcomeRatings[${i}].justification`, code: 'required', params: {}, message: 'is required' });
  });
  for (const o of current.outcomes) {
    const rating = ratings.get(o.id) ?? o.rating;
    if (!rating)
      errors.push({
        path: 'outcomeRatings',
        code: 'rating_missing',
        params: { outcome: o.code },
        message: `Outcome ${o.code} needs your rating (on_track, at_risk or off_track) with a justification`,
      });
    else if (!ratings.has(o.id) && !rating.justification.trim())
      errors.push({
        path: 'outcomeRatings',
        code: 'justification_missing',
        params: { outcome: o.code },
        message: `Outcome ${o.code}: the saved rating needs a justification`,
      });
  }
  (submission.assumptionUpdates ?? []).forEach((u, i) => {
    if (!assumptionIds.has(u.assumptionId))
      errors.push({ path: `assumptionUpdates[${i}].assumptionId`, ...notFound('assumption', NO_ASSUMPTION) });
  });
  const varianceExplanations = submission.varianceExplanations ?? [];
  varianceExplanations.forEach((v, i) => {
    if (!current.indicators.some((ind) => ind.id === v.indicatorId))
      errors.push({ path: `varianceExplanations[${i}].indicatorId`, ...notFound('indicator', NO_INDICATOR) });
  });
  const explanations = new Map(varianceExplanations.map((v) => [v.indicatorId, v.explanation]));
  for (const ind of current.indicators)
    if (ind.needsExplanation && !(explanations.get(ind.id) ?? ind.varianceExplanation)?.trim())
      errors.push({
        path: 'varianceExplanations',
        code: 'explanation_missing',
        params: { indicator: ind.code, status: ind.status, achievementPercent: ind.achievementPercent ?? null },
        message: `Indicator ${ind.code} is ${ind.status} (achievement ${ind.achievementPercent ?? '–'} %): explain the variance`,
      });
  return errors;
}

function notFound(entity: string, message: string): Omit<FieldError, 'path'> {
  return { code: 'not_found', params: { entity }, message };
}
