import { Processor, WorkerHost, OnWorkerEvent } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job, WorkerOptions } from 'bullmq';
import { AppConfig } from '#libs/config';
import {
  QueueName,
  ReportJobName,
  type ReportJobPayload,
  type ReportQueuePayload,
  type ScheduleQuarterReportsPayload,
} from '#libs/queue';
import { ReportBuilderService } from '#libs/reporting';
import { QuarterReportScheduler } from '../quarter-report-scheduler.service.js';

/** Handlers by job name: the worker refuses to start when a job name has none (see assertHandlers). */
export const REPORT_HANDLED_JOBS: readonly ReportJobName[] = [
  ReportJobName.Build,
  ReportJobName.ScheduleQuarterReports,
];

/** The BullMQ options of the report worker that come from the configuration. */
export type ReportWorkerOptions = Pick<
  WorkerOptions,
  'concurrency' | 'lockDuration' | 'stalledInterval' | 'maxStalledCount'
>;

/** The BullMQ options of the report worker, from the validated configuration (all set explicitly). */
export function reportWorkerOptions(config: AppConfig): ReportWorkerOptions {
  return {
    concurrency: config.WORKER_CONCURRENCY,
    lockDuration: config.REPORT_LOCK_DURATION_MS,
    stalledInterval: config.REPORT_STALLED_INTERVAL_MS,
    maxStalledCount: config.REPORT_MAX_STALLED_COUNT,
  };
}

/**
 * Worker options handed to @Processor. The decorator's options are fixed when the class is declared,
 * before the configuration is read: this object is filled by the processor's constructor, which Nest
 * runs before BullModule creates the BullMQ worker (BullRegistrar.onModuleInit reads the options then).
 */
const WORKER_OPTIONS: Partial<ReportWorkerOptions> = {};

/**
 * Runs the jobs of the `reports` queue. A build job carries the report id only; the builder reloads
 * the row and advances its persisted status, so a job run twice yields one report.
 */
@Processor(QueueName.Reports, WORKER_OPTIONS)
export class ReportProcessor extends WorkerHost {
  private readonly logger = new Logger(ReportProcessor.name);

  constructor(
    private readonly builder: ReportBuilderService,
    private readonly scheduler: QuarterReportScheduler,
    config: AppConfig,
  ) {
    super();
    Object.assign(WORKER_OPTIONS, reportWorkerOptions(config));
  }

  async process(job: Job<ReportQueuePayload>): Promise<unknown> {
    switch (job.name as ReportJobName) {
      case ReportJobName.Build:
        return this.builder.build((job.data as ReportJobPayload).reportId);
      case ReportJobName.ScheduleQuarterReports:
        return this.scheduler.requestDueReports((job.data as ScheduleQuarterReportsPayload).today);
      default:
        throw new Error(`No handler for job ${job.name}`);
    }
  }

  /** After the last attempt of a build the report row says `failed` with the error. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<ReportQueuePayload> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    if (job.name !== ReportJobName.Build) {
      this.logger.warn({ job: job.name, attempt: job.attemptsMade, attempts, err: error.message }, 'job failed');
      return;
    }
    const { reportId } = job.data as ReportJobPayload;
    this.logger.warn({ reportId, attempt: job.attemptsMade, attempts, err: error.message }, 'report job failed');
    if (job.attemptsMade >= attempts) await this.builder.markFailed(reportId, error.message);
  }

  /** Redis errors (connection lost, ...): BullMQ reconnects by itself; logged instead of thrown. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error.message }, 'report worker: Redis error');
  }
}
