import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { JobState, Queue } from 'bullmq';
import { writeFile } from 'node:fs/promises';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '#libs/config';
import { TransactionRunner } from '#libs/database';
import {
  QueueName,
  REPORT_JOB_OPTIONS,
  ReportJobName,
  reportBatchJobId,
  reportJobId,
  type ReportJobPayload,
} from '#libs/queue';
import { type RequestedReportRow, ReportRepository, type StaleReportRow } from '#libs/reporting';
import { withTimeout } from './with-timeout.js';

const ENQUEUE_TIMEOUT_MS = 5000;
/** Rows claimed by one relay pass. */
const RELAY_BATCH = 50;
/** Passes of one relay tick while every pass finds a full batch (1,000 rows a tick at most). */
const RELAY_MAX_PASSES = 20;

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
    private readonly tx: TransactionRunner,
    private readonly reports: ReportRepository,
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
      // A full pass means more rows wait (e.g. the quarterly run's requests): go on, up to RELAY_MAX_PASSES.
      for (let pass = 0; pass < RELAY_MAX_PASSES; pass += 1) {
        const queued = await this.relayOnce(RELAY_BATCH).catch((error: unknown) => {
          this.logger.warn({ err: errorMessage(error) }, 'relay pass failed; rows stay requested');
          return 0;
        });
        if (queued < RELAY_BATCH) break;
      }
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

  /**
   * One relay pass: returns how many rows were queued. Project reports requested by the quarterly
   * schedule (no requester) are enqueued in batches of REPORT_BATCH_SIZE per quarter (one job
   * `report-batch-<first id>` building them with shared set-based loading); every other row gets its own
   * job `report-<id>`. Each row records the job that builds it.
   */
  async relayOnce(batch = RELAY_BATCH): Promise<number> {
    return this.tx.run(async (manager) => {
      const rows = await this.reports.claimRequested(batch, manager);
      if (rows.length === 0) return 0;
      const jobs = relayJobs(rows, this.config.REPORT_BATCH_SIZE);
      await withTimeout(
        this.queue.addBulk(
          jobs.map((job) => ({
            name: ReportJobName.Build,
            data: job.data,
            opts: { ...REPORT_JOB_OPTIONS, jobId: job.jobId },
          })),
        ),
        ENQUEUE_TIMEOUT_MS,
        'Redis did not accept the jobs in time',
      );
      await this.reports.markQueued(
        jobs.flatMap((job) =>
          (job.data.reportIds ?? [job.data.reportId]).map((id) => ({ id, jobId: job.batch ? job.jobId : null })),
        ),
        manager,
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
    return this.tx.run(async (manager) => {
      const rows = await this.reports.claimStale(this.config.REPORT_STALE_AFTER_MS, batch, manager);
      const result: RecoveryResult = { requeued: [], failed: [] };
      for (const row of rows) {
        const action = await this.recoverRow(manager, row);
        if (action === 'requeued') result.requeued.push(row.id);
        if (action === 'failed') result.failed.push(row.id);
      }
      return result;
    });
  }

  private async recoverRow(manager: EntityManager, row: StaleReportRow): Promise<'alive' | 'requeued' | 'failed'> {
    const jobId = reportJobId(row.id);
    // A row of a batch is alive while its batch job is.
    const job = await withTimeout(
      this.queue.getJob(row.jobId ?? jobId),
      ENQUEUE_TIMEOUT_MS,
      'Redis did not answer in time',
    );
    const state = job
      ? await withTimeout(job.getState(), ENQUEUE_TIMEOUT_MS, 'Redis did not answer in time')
      : 'unknown';
    if (LIVE_JOB_STATES.has(state)) return 'alive';

    if (row.attempts >= this.config.REPORT_MAX_BUILD_ATTEMPTS) {
      const reason = job?.failedReason ? `; last error: ${job.failedReason}` : '';
      await this.reports.markStaleFailed(
        row.id,
        `The report could not be built after ${row.attempts} attempts (its job was lost or its worker stopped)${reason}`,
        manager,
      );
      this.logger.warn(
        { reportId: row.id, status: row.status, jobState: state, attempts: row.attempts },
        'stale report marked failed',
      );
      return 'failed';
    }
    // A finished job keeps the id taken: remove it before adding the job again (a finished batch's job is
    // left for the other rows it built; this row goes back to its own job).
    const own =
      row.jobId === null
        ? job
        : await withTimeout(this.queue.getJob(jobId), ENQUEUE_TIMEOUT_MS, 'Redis did not answer in time');
    if (own) await withTimeout(own.remove(), ENQUEUE_TIMEOUT_MS, 'Redis did not answer in time');
    await withTimeout(
      this.queue.add(ReportJobName.Build, { reportId: row.id }, { ...REPORT_JOB_OPTIONS, jobId }),
      ENQUEUE_TIMEOUT_MS,
      'Redis did not accept the job in time',
    );
    await this.reports.markRequeued(row.id, manager);
    this.logger.warn(
      { reportId: row.id, status: row.status, jobState: state, attempts: row.attempts },
      'stale report enqueued again',
    );
    return 'requeued';
  }
}

/**
 * The jobs of claimed rows: schedule-requested project reports (no requester) of one quarter in batches
 * of `batchSize` (one job, id `report-batch-<first id>`); every other row alone (`report-<id>`).
 */
export function relayJobs(
  rows: RequestedReportRow[],
  batchSize: number,
): { jobId: string; batch: boolean; data: ReportJobPayload }[] {
  const jobs: { jobId: string; batch: boolean; data: ReportJobPayload }[] = [];
  const batches = new Map<string, string[]>();
  for (const row of rows) {
    if (batchSize > 1 && row.scopeType === 'project' && row.requestedById === null) {
      const key = `${row.year}-${row.quarter}`;
      batches.set(key, [...(batches.get(key) ?? []), row.id]);
    } else jobs.push({ jobId: reportJobId(row.id), batch: false, data: { reportId: row.id } });
  }
  for (const ids of batches.values())
    for (let i = 0; i < ids.length; i += batchSize) {
      const part = ids.slice(i, i + batchSize);
      jobs.push(
        part.length === 1
          ? { jobId: reportJobId(part[0]), batch: false, data: { reportId: part[0] } }
          : { jobId: reportBatchJobId(part[0]), batch: true, data: { reportId: part[0], reportIds: part } },
      );
    }
  return jobs;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
