import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { JobState, Queue } from 'bullmq';
import { writeFile } from 'node:fs/promises';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '#libs/config';
import { QueueName, REPORT_JOB_OPTIONS, ReportJobName, reportJobId, type ReportJobPayload } from '#libs/queue';
import { withTimeout } from './with-timeout.js';

const ENQUEUE_TIMEOUT_MS = 5000;

/** Job states in which BullMQ still holds (or will run) a report job: the relay leaves those alone. */
const LIVE_JOB_STATES: ReadonlySet<JobState | 'unknown'> = new Set<JobState | 'unknown'>([
  'waiting',
  'delayed',
  'active',
  'prioritized',
  'waiting-children',
]);

/** What a recovery pass did. */
export interface RecoveryResult {
  /** Report ids enqueued again (job gone, or finished without finishing the row). */
  requeued: string[];
  /** Report ids marked failed after REPORT_MAX_BUILD_ATTEMPTS builds. */
  failed: string[];
}

/**
 * The outbox relay (DESIGN.md §6): claims report rows still `requested` with
 * `FOR UPDATE SKIP LOCKED` (safe with several workers), adds their BullMQ jobs (job id derived from
 * the row, so adding twice is a no-op) and marks them `queued`, in the claiming transaction.
 * If Redis is down the transaction rolls back and the rows wait for the next pass.
 *
 * Recovery (no report is ever lost): rows `queued` or `running` for longer than
 * REPORT_STALE_AFTER_MS are claimed the same way and their job is looked up. A job waiting, delayed
 * or active is left alone (a worker that died mid-report is BullMQ's stalled-job check's business:
 * its job goes back to `waiting` once its lock expires). A job that no longer exists (Redis flushed,
 * or restarted without persistence) or that is completed/failed while the row is not finished (e.g.
 * failed by BullMQ after too many stalls) is removed and added again with the same id `report-<id>`,
 * and the row goes back to `queued`; the builder is idempotent (a completed row is skipped), so a
 * double run still yields one report. After REPORT_MAX_BUILD_ATTEMPTS builds the row is `failed`.
 */
@Injectable()
export class ReportRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReportRelayService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private lastRecovery = 0;

  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Reports) private readonly queue: Queue<ReportJobPayload>,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.queue.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'report queue: Redis error'));
    this.timer = setInterval(() => void this.tick(), this.config.RELAY_INTERVAL_MS);
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Milliseconds between two recovery passes: a quarter of the staleness timeout, at least one relay interval. */
  get recoveryIntervalMs(): number {
    return Math.max(this.config.RELAY_INTERVAL_MS, Math.floor(this.config.REPORT_STALE_AFTER_MS / 4));
  }

  private async tick(): Promise<void> {
    // Liveness for docker-compose's health check: touched on every pass, whatever is down.
    void writeFile(this.config.WORKER_HEARTBEAT_FILE, new Date().toISOString()).catch(() => undefined);
    if (this.running) return;
    this.running = (async () => {
      await this.relayOnce().catch((error: unknown) => {
        this.logger.warn({ err: errorMessage(error) }, 'relay pass failed; rows stay requested');
      });
      if (this.timer && Date.now() - this.lastRecovery >= this.recoveryIntervalMs) {
        this.lastRecovery = Date.now();
        const result = await this.recoverOnce().catch((error: unknown) => {
          this.logger.warn(
            { err: errorMessage(error) },
            'recovery pass failed; stale reports are checked again on the next pass',
          );
          return null;
        });
        if (result && (result.requeued.length || result.failed.length)) {
          this.logger.warn({ requeued: result.requeued, failed: result.failed }, 'stale reports recovered');
        }
      }
    })();
    await this.running;
    this.running = undefined;
  }

  /** One relay pass: returns how many rows were queued. */
  async relayOnce(batch = 50): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { id: string }[] = await manager.query(
        `SELECT id FROM report WHERE status = 'requested' ORDER BY requested_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batch],
      );
      if (rows.length === 0) return 0;
      await withTimeout(
        this.queue.addBulk(
          rows.map((r) => ({
            name: ReportJobName.Build,
            data: { reportId: r.id },
            opts: { ...REPORT_JOB_OPTIONS, jobId: reportJobId(r.id) },
          })),
        ),
        ENQUEUE_TIMEOUT_MS,
        'Redis did not accept the jobs in time',
      );
      await manager.query(
        `UPDATE report SET status = 'queued', queued_at = now(), updated_at = now() WHERE id = ANY($1)`,
        [rows.map((r) => r.id)],
      );
      return rows.length;
    });
  }

  /**
   * One recovery pass over the oldest stale `queued`/`running` rows (see the class comment).
   * Rows are claimed `FOR UPDATE SKIP LOCKED`, so two workers never handle the same row and the
   * builder cannot claim a row while its job is being replaced.
   */
  async recoverOnce(batch = 100): Promise<RecoveryResult> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { id: string; status: 'queued' | 'running'; attempts: number }[] = await manager.query(
        `SELECT id, status, attempts FROM report
          WHERE (status = 'queued' AND coalesce(queued_at, requested_at) < now() - $1 * interval '1 millisecond')
             OR (status = 'running' AND coalesce(started_at, queued_at, requested_at) < now() - $1 * interval '1 millisecond')
          ORDER BY coalesce(started_at, queued_at, requested_at) LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [this.config.REPORT_STALE_AFTER_MS, batch],
      );
      const result: RecoveryResult = { requeued: [], failed: [] };
      for (const row of rows) {
        const action = await this.recoverRow(manager, row);
        if (action === 'requeued') result.requeued.push(row.id);
        if (action === 'failed') result.failed.push(row.id);
      }
      return result;
    });
  }

  private async recoverRow(
    manager: EntityManager,
    row: { id: string; status: string; attempts: number },
  ): Promise<'alive' | 'requeued' | 'failed'> {
    const jobId = reportJobId(row.id);
    const job = await withTimeout(this.queue.getJob(jobId), ENQUEUE_TIMEOUT_MS, 'Redis did not answer in time');
    const state = job
      ? await withTimeout(job.getState(), ENQUEUE_TIMEOUT_MS, 'Redis did not answer in time')
      : 'unknown';
    if (LIVE_JOB_STATES.has(state)) return 'alive';

    if (row.attempts >= this.config.REPORT_MAX_BUILD_ATTEMPTS) {
      const reason = job?.failedReason ? `; last error: ${job.failedReason}` : '';
      await manager.query(`UPDATE report SET status = 'failed', error = $2, updated_at = now() WHERE id = $1`, [
        row.id,
        `The report could not be built after ${row.attempts} attempts (its job was lost or its worker stopped)${reason}`.slice(
          0,
          2000,
        ),
      ]);
      this.logger.warn(
        { reportId: row.id, status: row.status, jobState: state, attempts: row.attempts },
        'stale report marked failed',
      );
      return 'failed';
    }
    // A finished job keeps the id taken: remove it before adding the job again.
    if (job) await withTimeout(job.remove(), ENQUEUE_TIMEOUT_MS, 'Redis did not answer in time');
    await withTimeout(
      this.queue.add(ReportJobName.Build, { reportId: row.id }, { ...REPORT_JOB_OPTIONS, jobId }),
      ENQUEUE_TIMEOUT_MS,
      'Redis did not accept the job in time',
    );
    await manager.query(`UPDATE report SET status = 'queued', queued_at = now(), updated_at = now() WHERE id = $1`, [
      row.id,
    ]);
    this.logger.warn(
      { reportId: row.id, status: row.status, jobState: state, attempts: row.attempts },
      'stale report enqueued again',
    );
    return 'requeued';
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
