import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AuditEventEntity,
  type OutcomeRating,
  OutcomeRatingEntity,
  ProgressNarrativeEntity,
  ProgressReportEntity,
  type RbmSettingsEntity,
  ReviewCommentEntity,
  settingsInForce,
  VarianceExplanationEntity,
} from '#libs/database';

/** The four texts of a quarterly narrative (null: not written). */
export interface QuarterNarrativeText {
  progressSummary: string | null;
  challenges: string | null;
  lessonsLearned: string | null;
  nextQuarter: string | null;
}

/** The manager's rating of one outcome in a quarter. */
export interface OutcomeRatingWrite {
  outcomeId: string;
  rating: OutcomeRating;
  justification: string;
}

/** An explanation of variance of one indicator in a quarter. */
export interface VarianceExplanationWrite {
  indicatorId: string;
  explanation: string;
}

/** The quarter's status update of one assumption or risk. */
export interface AssumptionUpdateWrite {
  assumptionId: string;
  status: string;
  note?: string | null;
}

/** The saved parts of a quarter's story, by stable ids (codes are the service's business). */
export interface StoryRecord {
  ratings: OutcomeRatingEntity[];
  explanations: VarianceExplanationEntity[];
  assumptionUpdates: { assumptionId: string; status: string; note: string | null }[];
  narrative: ProgressNarrativeEntity | null;
}

/** One audit row of the progress workflow (entity type `progress_report`). */
export interface ProgressAudit {
  projectId: string;
  actorId: string;
  action: string;
  progressReportId: string;
  before: object;
  after: object;
}

interface AssumptionUpdateRow {
  assumption_stable_id: string;
  status: string;
  note: string | null;
}

/** Maps the raw rows of `assumption_update` onto the story's assumption updates. */
function toAssumptionUpdates(rows: AssumptionUpdateRow[]): StoryRecord['assumptionUpdates'] {
  return rows.map((u) => ({ assumptionId: u.assumption_stable_id, status: u.status, note: u.note }));
}

const UPSERT_RATING = `INSERT INTO outcome_rating (progress_report_id, outcome_stable_id, rating, justification) VALUES ($1, $2, $3, $4)
  ON CONFLICT (progress_report_id, outcome_stable_id) DO UPDATE SET rating = EXCLUDED.rating, justification = EXCLUDED.justification, updated_at = now()`;
const UPSERT_EXPLANATION = `INSERT INTO variance_explanation (progress_report_id, indicator_series_id, explanation) VALUES ($1, $2, $3)
  ON CONFLICT (progress_report_id, indicator_series_id) DO UPDATE SET explanation = EXCLUDED.explanation, updated_at = now()`;
const UPSERT_ASSUMPTION = `INSERT INTO assumption_update (project_id, assumption_stable_id, year, quarter, status, note, created_by_id) VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (assumption_stable_id, year, quarter) DO UPDATE SET status = EXCLUDED.status, note = EXCLUDED.note, updated_at = now()`;

/**
 * The quarter's workflow records (DESIGN.md §4) as the progress service writes them: the progress
 * report row (locked, versioned, moved through its statuses), the story (outcome ratings, explanations
 * of variance, assumption updates, narrative), review comments and the workflow's audit rows. Every
 * method takes the caller's EntityManager (last parameter) so it runs inside the caller's transaction.
 */
@Injectable()
export class QuarterRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The quarter's progress report, locked FOR UPDATE until the transaction ends; with `create`, a
   * draft (version 1) is made first when the quarter was never started.
   * @returns the row, or null when it does not exist (and `create` is false)
   */
  async lock(
    projectId: string,
    year: number,
    quarter: number,
    create: boolean,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProgressReportEntity | null> {
    if (create)
      await manager.query(
        `INSERT INTO progress_report (project_id, year, quarter, status, version) VALUES ($1, $2, $3, 'draft', 1) ON CONFLICT (project_id, year, quarter) DO NOTHING`,
        [projectId, year, quarter],
      );
    return manager
      .getRepository(ProgressReportEntity)
      .findOne({ where: { projectId, year, quarter }, lock: { mode: 'pessimistic_write' } });
  }

  /** The quarter's progress report (no lock), or null when the quarter was never started. */
  async find(
    projectId: string,
    year: number,
    quarter: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProgressReportEntity | null> {
    return manager.getRepository(ProgressReportEntity).findOneBy({ projectId, year, quarter });
  }

  /** Raises the quarter's version by one (any change to its actuals or story). */
  async bumpVersion(progressId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(`UPDATE progress_report SET version = version + 1, updated_at = now() WHERE id = $1`, [
      progressId,
    ]);
  }

  /**
   * Moves the quarter to `status` with `fields`, raising its version, if it is still at the version read.
   * @returns false when someone else changed it in between (nothing written)
   */
  async transition(
    progress: ProgressReportEntity,
    status: ProgressReportEntity['status'],
    fields: Partial<ProgressReportEntity>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(ProgressReportEntity)
      .set({ ...fields, status, version: () => 'version + 1' } as never)
      .where('id = :id AND version = :version', { id: progress.id, version: progress.version })
      .execute();
    return result.affected === 1;
  }

  /** Writes one audit row of the progress workflow. */
  async audit(event: ProgressAudit, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(AuditEventEntity).insert({
      projectId: event.projectId,
      actorId: event.actorId,
      action: event.action,
      entityType: 'progress_report',
      entityId: event.progressReportId,
      before: event.before,
      after: event.after,
    });
  }

  /** Records the comment a focal point returned the quarter with. */
  async addReturnComment(
    progress: ProgressReportEntity,
    authorId: string,
    body: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.getRepository(ReviewCommentEntity).insert({
      projectId: progress.projectId,
      progressReportId: progress.id,
      revisionId: null,
      authorId,
      body,
      elementType: null,
      elementStableId: null,
    });
  }

  /** The organisation's RBM settings in force (null: the table is empty). */
  async settings(manager: EntityManager = this.dataSource.manager): Promise<RbmSettingsEntity | null> {
    return settingsInForce(manager);
  }

  /** Stable ids of the assumptions and risks of the project's latest approved revision. */
  async approvedAssumptionIds(projectId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: { stable_id: string }[] = await manager.query(
      `SELECT stable_id FROM assumption WHERE revision_id = (SELECT id FROM logframe_revision WHERE project_id = $1 AND status = 'approved' ORDER BY number DESC LIMIT 1)`,
      [projectId],
    );
    return rows.map((r) => r.stable_id);
  }

  /** The quarter's saved narrative (with its version), or null before the first save. */
  async narrative(
    progressId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProgressNarrativeEntity | null> {
    return manager.getRepository(ProgressNarrativeEntity).findOneBy({ progressReportId: progressId });
  }

  /** The display name of a user (who saved a story), or null. */
  async displayName(userId: string, manager: EntityManager = this.dataSource.manager): Promise<string | null> {
    const rows: { display_name: string }[] = await manager.query(`SELECT display_name FROM app_user WHERE id = $1`, [
      userId,
    ]);
    return rows[0]?.display_name ?? null;
  }

  /**
   * The saved parts of a quarter's story: ratings and explanations of the progress report (none when
   * `progressId` is null), the project's assumption updates of the quarter, the narrative.
   */
  async story(
    progressId: string | null,
    projectId: string,
    year: number,
    quarter: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StoryRecord> {
    const ratings = progressId
      ? await manager.getRepository(OutcomeRatingEntity).findBy({ progressReportId: progressId })
      : [];
    const explanations = progressId
      ? await manager.getRepository(VarianceExplanationEntity).findBy({ progressReportId: progressId })
      : [];
    const updates: AssumptionUpdateRow[] = await manager.query(
      `SELECT assumption_stable_id, status, note FROM assumption_update WHERE project_id = $1 AND year = $2 AND quarter = $3 ORDER BY assumption_stable_id`,
      [projectId, year, quarter],
    );
    const narrative = progressId ? await this.narrative(progressId, manager) : null;
    return { ratings, explanations, assumptionUpdates: toAssumptionUpdates(updates), narrative };
  }

  /** Saves (inserts or replaces) the given outcome ratings of the quarter. */
  async upsertRatings(
    progressId: string,
    ratings: OutcomeRatingWrite[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    for (const r of ratings) await manager.query(UPSERT_RATING, [progressId, r.outcomeId, r.rating, r.justification]);
  }

  /** Saves (inserts or replaces) the given explanations of variance of the quarter. */
  async upsertExplanations(
    progressId: string,
    explanations: VarianceExplanationWrite[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    for (const v of explanations) await manager.query(UPSERT_EXPLANATION, [progressId, v.indicatorId, v.explanation]);
  }

  /** Saves (inserts or replaces) the given assumption updates of the project's quarter. */
  async upsertAssumptionUpdates(
    quarter: { projectId: string; year: number; quarter: number },
    updates: AssumptionUpdateWrite[],
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    for (const u of updates)
      await manager.query(UPSERT_ASSUMPTION, [
        quarter.projectId,
        u.assumptionId,
        quarter.year,
        quarter.quarter,
        u.status,
        u.note ?? null,
        userId,
      ]);
  }

  /** Replaces the quarter's outcome ratings wholly by `ratings`. */
  async replaceRatings(
    progressId: string,
    ratings: OutcomeRatingWrite[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `DELETE FROM outcome_rating WHERE progress_report_id = $1 AND NOT (outcome_stable_id = ANY($2))`,
      [progressId, ratings.map((r) => r.outcomeId)],
    );
    await this.upsertRatings(progressId, ratings, manager);
  }

  /** Replaces the quarter's explanations of variance wholly by `explanations`. */
  async replaceExplanations(
    progressId: string,
    explanations: VarianceExplanationWrite[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `DELETE FROM variance_explanation WHERE progress_report_id = $1 AND NOT (indicator_series_id = ANY($2))`,
      [progressId, explanations.map((v) => v.indicatorId)],
    );
    await this.upsertExplanations(progressId, explanations, manager);
  }

  /** Replaces the project's assumption updates of the quarter wholly by `updates`. */
  async replaceAssumptionUpdates(
    quarter: { projectId: string; year: number; quarter: number },
    updates: AssumptionUpdateWrite[],
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `DELETE FROM assumption_update WHERE project_id = $1 AND year = $2 AND quarter = $3 AND NOT (assumption_stable_id = ANY($4))`,
      [quarter.projectId, quarter.year, quarter.quarter, updates.map((u) => u.assumptionId)],
    );
    await this.upsertAssumptionUpdates(quarter, updates, userId, manager);
  }

  /**
   * Saves the narrative: the first save inserts version 1; a later one raises the version if it is
   * still `version` (the one read).
   * @returns false when someone else saved it in between (nothing written)
   */
  async saveNarrative(
    progressId: string,
    version: number,
    text: QuarterNarrativeText,
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    if (version === 0) {
      await manager
        .getRepository(ProgressNarrativeEntity)
        .insert({ progressReportId: progressId, ...text, version: 1, updatedById: userId });
      return true;
    }
    const result = await manager
      .createQueryBuilder()
      .update(ProgressNarrativeEntity)
      .set({ ...text, updatedById: userId, version: () => 'version + 1' } as never)
      .where('progress_report_id = :id AND version = :version', { id: progressId, version })
      .execute();
    return result.affected === 1;
  }
}
