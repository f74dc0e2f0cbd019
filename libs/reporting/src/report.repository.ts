import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ReportEntity, ReportFileEntity, type ReportScope } from '#libs/database';

/** What identifies a report apart from its fingerprint: scope, restriction (sorted unit ids) and quarter. */
export interface ReportKey {
  scopeType: ReportScope;
  scopeId: string;
  restrictedToUnitIds: string[];
  year: number;
  quarter: number;
}

/** A row the relay claimed: `requested`, to enqueue. */
export interface RequestedReportRow {
  id: string;
  scopeType: ReportScope;
  year: number;
  quarter: number;
  requestedById: string | null;
}

/** A row the relay's recovery claimed: `queued` or `running` for too long. */
export interface StaleReportRow {
  id: string;
  status: 'queued' | 'running';
  attempts: number;
  /** The BullMQ job building it when not `report-<id>` (a batch); null otherwise. */
  jobId: string | null;
}

function toRequestedRow(row: {
  id: string;
  scope_type: ReportScope;
  year: number;
  quarter: number;
  requested_by_id: string | null;
}): RequestedReportRow {
  return {
    id: row.id,
    scopeType: row.scope_type,
    year: row.year,
    quarter: row.quarter,
    requestedById: row.requested_by_id ?? null,
  };
}

function toStaleRow(row: {
  id: string;
  status: 'queued' | 'running';
  attempts: number;
  job_id?: string | null;
}): StaleReportRow {
  return { id: row.id, status: row.status, attempts: row.attempts, jobId: row.job_id ?? null };
}

/**
 * The `report` and `report_file` rows as requests, the builder, the worker's relay and the quarterly
 * schedule change them (issue 11 item 2: services never speak SQL). Every method takes the caller's
 * EntityManager (the transaction of `TransactionRunner.run`) as its last parameter.
 */
@Injectable()
export class ReportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Waits for the transaction-scoped advisory lock of a scope, restriction and quarter: one request (or
   * one fingerprint change by the builder) at a time, so versions are numbered without races.
   */
  async lockScopeQuarter(key: ReportKey, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `report:${key.scopeType}:${key.scopeId}:${key.restrictedToUnitIds.join(',')}:${key.year}:${key.quarter}`,
    ]);
  }

  /** {@link lockScopeQuarter} for several keys in one statement, in lock-id order (one lock order everywhere). */
  async lockScopeQuarters(keys: ReportKey[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (keys.length === 0) return;
    const names = keys.map(
      (key) => `report:${key.scopeType}:${key.scopeId}:${key.restrictedToUnitIds.join(',')}:${key.year}:${key.quarter}`,
    );
    await manager.query(
      // Locked in the order of the lock ids themselves (the 32-bit hashes), so two callers whose key
      // sets collide on a hash still take their locks in one order.
      'SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS ids',
      [names],
    );
  }

  /**
   * Unrestricted project reports of one quarter: for each project given, the report with its
   * fingerprint (if any) and the next version number. Two statements.
   */
  async projectReportsOfQuarter(
    wanted: { projectId: string; fingerprint: string }[],
    year: number,
    quarter: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ existing: Map<string, ReportEntity>; nextVersion: Map<string, number> }> {
    if (wanted.length === 0) return { existing: new Map(), nextVersion: new Map() };
    const found = await manager
      .getRepository(ReportEntity)
      .createQueryBuilder('r')
      .where(`r.scope_type = 'project' AND r.year = :year AND r.quarter = :quarter`, { year, quarter })
      .andWhere(`r.restricted_to_unit_ids = '{}'`)
      .andWhere('(r.scope_id, r.fingerprint) IN (SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:fps AS text[])))', {
        ids: wanted.map((w) => w.projectId),
        fps: wanted.map((w) => w.fingerprint),
      })
      .getMany();
    const versions: { scope_id: string; next: number }[] = await manager.query(
      `SELECT scope_id, max(version)::int + 1 AS next FROM report
        WHERE scope_type = 'project' AND scope_id = ANY($1::text[]) AND year = $2 AND quarter = $3
          AND restricted_to_unit_ids = '{}' GROUP BY scope_id`,
      [wanted.map((w) => w.projectId), year, quarter],
    );
    return {
      existing: new Map(found.map((r) => [r.scopeId, r])),
      nextVersion: new Map(versions.map((v) => [v.scope_id, Number(v.next)])),
    };
  }

  /** Inserts several `requested` rows in one statement. */
  async insertRequestedMany(
    rows: (ReportKey & {
      fingerprint: string;
      version: number;
      periodStart: string;
      periodEnd: string;
      thresholdsVersion: number;
      requestedById: string | null;
    })[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    if (rows.length === 0) return;
    await manager.getRepository(ReportEntity).insert(rows.map((row) => ({ ...row, status: 'requested' as const })));
  }

  /** The report of that scope, restriction and quarter with that fingerprint, if any. */
  async findByFingerprint(
    key: ReportKey,
    fingerprint: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ReportEntity | null> {
    return manager
      .getRepository(ReportEntity)
      .createQueryBuilder('r')
      .where('r.scope_type = :scopeType AND r.scope_id = :scopeId AND r.year = :year AND r.quarter = :quarter', key)
      .andWhere('r.restricted_to_unit_ids = CAST(:restrictedToUnitIds AS uuid[]) AND r.fingerprint = :fingerprint', {
        restrictedToUnitIds: key.restrictedToUnitIds,
        fingerprint,
      })
      .getOne();
  }

  /** The next version number of that scope, restriction and quarter (1 for the first). */
  async nextVersion(key: ReportKey, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows: { next: number }[] = await manager.query(
      `SELECT coalesce(max(version), 0)::int + 1 AS next FROM report
        WHERE scope_type = $1 AND scope_id = $2 AND year = $3 AND quarter = $4 AND restricted_to_unit_ids = $5::uuid[]`,
      [key.scopeType, key.scopeId, key.year, key.quarter, key.restrictedToUnitIds],
    );
    return Number(rows[0].next);
  }

  /** Inserts a `requested` row. */
  async insertRequested(
    row: ReportKey & {
      fingerprint: string;
      version: number;
      periodStart: string;
      periodEnd: string;
      thresholdsVersion: number;
      requestedById: string | null;
    },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ReportEntity> {
    const repo = manager.getRepository(ReportEntity);
    return repo.save(repo.create({ ...row, status: 'requested' }));
  }

  /** The row, locked until the transaction ends (`FOR UPDATE`), or null. */
  async lockById(reportId: string, manager: EntityManager = this.dataSource.manager): Promise<ReportEntity | null> {
    return manager
      .getRepository(ReportEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.id = :id', { id: reportId })
      .getOne();
  }

  /**
   * Locks the rows of a batch (`FOR UPDATE`), in id order, and returns those that still need a build
   * (not completed, not superseded).
   */
  async lockBatch(reportIds: string[], manager: EntityManager = this.dataSource.manager): Promise<ReportEntity[]> {
    if (reportIds.length === 0) return [];
    return manager
      .getRepository(ReportEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.id = ANY(:ids)', { ids: reportIds })
      .andWhere(`r.status NOT IN ('completed', 'superseded')`)
      .orderBy('r.id')
      .getMany();
  }

  /** Marks rows running: one more build attempt each, no error. */
  async markRunning(reportIds: string[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (reportIds.length === 0) return;
    await manager.query(
      `UPDATE report SET status = 'running', started_at = now(), attempts = attempts + 1, error = NULL, updated_at = now()
        WHERE id = ANY($1::uuid[])`,
      [reportIds],
    );
  }

  /** Marks a row superseded by the report of the same scope and quarter that has its content's fingerprint. */
  async markSuperseded(
    reportId: string,
    supersededById: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager
      .getRepository(ReportEntity)
      .update({ id: reportId }, { status: 'superseded', supersededById, completedAt: new Date(), error: null });
  }

  /**
   * Stores a built report: its files (replacing any), its content and fingerprint, `completed`. The
   * content is handed as the JSON text already rendered for its file (cast to jsonb by PostgreSQL, so
   * it is not serialised a second time; jsonb keeps the same value whatever the text's whitespace).
   */
  async storeCompleted(
    reportId: string,
    built: {
      contentJson: string;
      internal: boolean;
      thresholdsVersion: number;
      fingerprint: string;
      files: Omit<ReportFileEntity, 'id' | 'reportId' | 'report' | 'createdAt'>[];
    },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.getRepository(ReportFileEntity).delete({ reportId });
    await manager.getRepository(ReportFileEntity).insert(built.files.map((f) => ({ ...f, reportId })));
    await manager.query(
      `UPDATE report SET status = 'completed', content = $2::jsonb, internal = $3, completed_at = now(), error = NULL,
              thresholds_version = $4, fingerprint = $5, updated_at = now()
        WHERE id = $1`,
      [reportId, built.contentJson, built.internal, built.thresholdsVersion, built.fingerprint],
    );
  }

  /** Marks a report failed with the error a user can read (never a completed or superseded one). */
  async markFailed(reportId: string, error: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `UPDATE report SET status = 'failed', error = $2, updated_at = now()
        WHERE id = $1 AND status NOT IN ('completed', 'superseded')`,
      [reportId, error.slice(0, 2000)],
    );
  }

  /** The relay's claim: the oldest `requested` rows, `FOR UPDATE SKIP LOCKED` (safe with several workers). */
  async claimRequested(limit: number, manager: EntityManager = this.dataSource.manager): Promise<RequestedReportRow[]> {
    const rows: {
      id: string;
      scope_type: ReportScope;
      year: number;
      quarter: number;
      requested_by_id: string | null;
    }[] = await manager.query(
      `SELECT id, scope_type, year, quarter, requested_by_id FROM report WHERE status = 'requested'
        ORDER BY requested_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map(toRequestedRow);
  }

  /** Marks claimed rows `queued`, each with the BullMQ job that builds it (null: its own `report-<id>`). */
  async markQueued(
    rows: { id: string; jobId: string | null }[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `UPDATE report r SET status = 'queued', queued_at = now(), updated_at = now(), job_id = j.job_id
         FROM unnest($1::uuid[], $2::text[]) AS j(id, job_id) WHERE r.id = j.id`,
      [rows.map((r) => r.id), rows.map((r) => r.jobId)],
    );
  }

  /**
   * The recovery's claim: rows `queued` or `running` for longer than `staleAfterMs`, oldest first,
   * `FOR UPDATE SKIP LOCKED` (two workers never handle the same row; the builder cannot claim it meanwhile).
   */
  async claimStale(
    staleAfterMs: number,
    limit: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StaleReportRow[]> {
    const rows: { id: string; status: 'queued' | 'running'; attempts: number; job_id?: string | null }[] =
      await manager.query(
        `SELECT id, status, attempts, job_id FROM report
          WHERE (status = 'queued' AND coalesce(queued_at, requested_at) < now() - $1 * interval '1 millisecond')
             OR (status = 'running' AND coalesce(started_at, queued_at, requested_at) < now() - $1 * interval '1 millisecond')
          ORDER BY coalesce(started_at, queued_at, requested_at) LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [staleAfterMs, limit],
      );
    return rows.map(toStaleRow);
  }

  /** A stale row the recovery gives up on: `failed` with the reason. */
  async markStaleFailed(
    reportId: string,
    error: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(`UPDATE report SET status = 'failed', error = $2, updated_at = now() WHERE id = $1`, [
      reportId,
      error.slice(0, 2000),
    ]);
  }

  /** A stale row enqueued again under its own job id `report-<id>`: `queued` again. */
  async markRequeued(reportId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `UPDATE report SET status = 'queued', queued_at = now(), updated_at = now(), job_id = NULL WHERE id = $1`,
      [reportId],
    );
  }

  /**
   * Projects due for the quarterly schedule: an approved logframe, running during the quarter (`start`
   * .. `end`), no project report of that quarter yet; by code.
   */
  async projectsDueForQuarter(
    due: { year: number; quarter: number; start: string; end: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT p.id FROM project p
        WHERE EXISTS (SELECT 1 FROM logframe_revision r WHERE r.project_id = p.id AND r.status = 'approved')
          AND (p.start_date IS NULL OR p.start_date <= $3) AND (p.end_date IS NULL OR p.end_date >= $4)
          AND NOT EXISTS (SELECT 1 FROM report x WHERE x.scope_type = 'project' AND x.scope_id = p.id::text AND x.year = $1 AND x.quarter = $2)
        ORDER BY p.code`,
      [due.year, due.quarter, due.end, due.start],
    );
    return rows.map((r) => r.id);
  }
}
