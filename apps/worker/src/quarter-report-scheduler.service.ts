import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import {
  QUARTER_REPORTS_SCHEDULE,
  QUARTER_REPORTS_SCHEDULER_ID,
  QueueName,
  REPORT_JOB_OPTIONS,
  ReportJobName,
  type ReportQueuePayload,
  type ScheduleQuarterReportsPayload,
} from '#libs/queue';
import { quarterRange } from '#libs/calculations';
import { ReportInputsRepository, ReportRepository, ReportRequestService } from '#libs/reporting';
import { type DueQuarter, quarterDueForReports, utcDate } from './report-schedule.js';
import { withTimeout } from './with-timeout.js';

/** What one run of the quarterly schedule did. */
export interface ScheduleRunSummary extends DueQuarter {
  today: string;
  /** Projects whose report of the quarter was requested by this run. */
  requested: string[];
  /** Projects whose request failed (logged; the next daily run tries again). */
  failed: { projectId: string; error: string }[];
}

const REGISTER_RETRY_MS = 10000;
/** Projects requested per transaction by the quarterly run. */
const SCHEDULE_CHUNK = 200;
/** The scheduler is upserted again this often, so a Redis that lost its data (no persistence) gets it back. */
const REGISTER_REFRESH_MS = 10 * 60 * 1000;

/**
 * The quarterly-report schedule (DESIGN.md §6). At every worker start it upserts the BullMQ job
 * scheduler `schedule-quarter-reports` (fixed id: several workers share one schedule; cron in UTC,
 * daily 02:00). Each run requests, as the system (`requestedById` null), the report of the latest
 * quarter whose validation cut-off has passed for every project that has an approved logframe, was
 * running during that quarter, and has no report of that quarter yet. A day the worker was down is
 * caught up by the next run; a request is idempotent (same fingerprint → same report).
 * The upsert is repeated every 10 minutes, so a Redis restarted without persistence gets the
 * schedule back without a worker restart.
 */
@Injectable()
export class QuarterReportScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QuarterReportScheduler.name);
  private retryTimer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Settles when the scheduler is registered in Redis (retried in the background while Redis is down). */
  registered: Promise<void> = Promise.resolve();

  constructor(
    private readonly reports: ReportRepository,
    @InjectQueue(QueueName.Reports) private readonly queue: Queue<ReportQueuePayload>,
    private readonly requests: ReportRequestService,
    private readonly inputs: ReportInputsRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.refreshTimer = setInterval(() => {
      this.register().catch((error: unknown) =>
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'could not refresh the quarterly report schedule',
        ),
      );
    }, REGISTER_REFRESH_MS);
    this.refreshTimer.unref();
    this.registered = new Promise<void>((resolve) => {
      const attempt = () => {
        if (this.stopped) return resolve();
        this.register().then(resolve, (error: unknown) => {
          this.logger.warn(
            { err: error instanceof Error ? error.message : String(error) },
            `could not register the quarterly report schedule; retrying in ${REGISTER_RETRY_MS / 1000} s`,
          );
          this.retryTimer = setTimeout(attempt, REGISTER_RETRY_MS);
        });
      };
      attempt();
    });
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.refreshTimer) clearInterval(this.refreshTimer);
  }

  /** Upserts the job scheduler (idempotent: same id, pattern and template on every start). */
  async register(): Promise<void> {
    await withTimeout(
      this.queue.upsertJobScheduler(
        QUARTER_REPORTS_SCHEDULER_ID,
        { pattern: QUARTER_REPORTS_SCHEDULE.pattern, tz: QUARTER_REPORTS_SCHEDULE.tz },
        {
          name: ReportJobName.ScheduleQuarterReports,
          data: {} satisfies ScheduleQuarterReportsPayload,
          opts: REPORT_JOB_OPTIONS,
        },
      ),
      5000,
      'Redis did not accept the job scheduler in time',
    );
  }

  /**
   * The handler of `schedule-quarter-reports`: requests the due quarter's reports.
   * @param today `'YYYY-MM-DD'`, default today's UTC date
   */
  async requestDueReports(today: string = utcDate()): Promise<ScheduleRunSummary> {
    const settings = await this.inputs.currentSettings();
    const due = quarterDueForReports(today, settings.validationCutoffDays);
    const { start, end } = quarterRange(due.year, due.quarter);
    const projects = await this.reports.projectsDueForQuarter({ ...due, start, end });
    const summary: ScheduleRunSummary = { today, ...due, requested: [], failed: [] };
    // Set-based, SCHEDULE_CHUNK projects a transaction (a few statements each); a failing chunk is
    // requested one project at a time, so one bad project fails alone.
    for (let i = 0; i < projects.length; i += SCHEDULE_CHUNK) {
      const chunk = projects.slice(i, i + SCHEDULE_CHUNK);
      try {
        const result = await this.requests.requestProjectReports(chunk, due.year, due.quarter);
        summary.requested.push(...result.requested);
        summary.failed.push(...result.failed);
      } catch {
        for (const id of chunk) {
          try {
            await this.requests.requestProjectReport({
              projectId: id,
              year: due.year,
              quarter: due.quarter,
              requestedById: null,
            });
            summary.requested.push(id);
          } catch (error) {
            summary.failed.push({ projectId: id, error: error instanceof Error ? error.message : String(error) });
          }
        }
      }
    }
    this.logger.log(
      {
        today,
        year: due.year,
        quarter: due.quarter,
        requested: summary.requested.length,
        failed: summary.failed.length,
      },
      'quarterly reports requested',
    );
    if (summary.failed.length)
      this.logger.warn({ failed: summary.failed }, 'some quarterly report requests failed; the next run retries them');
    return summary;
  }
}
