import { Processor, WorkerHost, OnWorkerEvent } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { DelayedError, type Job, type WorkerOptions } from 'bullmq';
import { AppConfig } from '#libs/config';
import { isDatabaseUnavailable } from '#libs/database';
import { QueueName, ReportJobName, type ReportJobPayload, type ReportQueuePayload } from '#libs/queue';
import { ReportBuilderService } from '#libs/reporting';
import { JobHandlerRegistry } from '../jobs/job-handler.js';

/** Job data the processor adds: how many times the job waited for PostgreSQL. */
export interface DatabaseWaits {
  databaseWaits?: number;
}

/** Waits for PostgreSQL before a job fails normally: 40 waits of at most 30 s (about 20 minutes). */
export const MAX_DATABASE_WAITS = 40;

/** Delay before the (n+1)th try of a job that met an unreachable PostgreSQL: 1 s doubling, at most 30 s. */
export function databaseWaitMs(waits: number): number {
  return Math.min(30_000, 1000 * 2 ** waits);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

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
    private readonly handlers: JobHandlerRegistry,
    config: AppConfig,
  ) {
    super();
    Object.assign(WORKER_OPTIONS, reportWorkerOptions(config));
  }

  /**
   * Runs a job. While PostgreSQL is unreachable a job does not use up its attempts: it is moved back to
   * `delayed` (BullMQ's DelayedError) and tried again after 1 s, 2 s, 4 s ... at most 30 s, up to
   * {@link MAX_DATABASE_WAITS} times (about 20 minutes); the report row stays `running` meanwhile, and
   * the builder's next run claims it again. Any other error follows the job's attempts and backoff.
   */
  async process(job: Job<ReportQueuePayload & DatabaseWaits>, token?: string): Promise<unknown> {
    try {
      return await this.run(job);
    } catch (error) {
      const waits = job.data.databaseWaits ?? 0;
      if (!token || !isDatabaseUnavailable(error) || waits >= MAX_DATABASE_WAITS) throw error;
      const delayMs = databaseWaitMs(waits);
      this.logger.warn(
        { job: job.name, jobId: job.id, waits: waits + 1, retryInMs: delayMs, err: errorMessage(error) },
        'PostgreSQL unavailable: job delayed, attempt not counted',
      );
      await job.updateData({ ...job.data, databaseWaits: waits + 1 });
      await job.moveToDelayed(Date.now() + delayMs, token);
      throw new DelayedError();
    }
  }

  /** Runs the job's `@JobHandler` (see jobs/report-jobs.ts). */
  private run(job: Job<ReportQueuePayload>): Promise<unknown> {
    return this.handlers.handler(job.name)(job.data);
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
    const { reportId, reportIds } = job.data as ReportJobPayload;
    this.logger.warn({ reportId, attempt: job.attemptsMade, attempts, err: error.message }, 'report job failed');
    if (job.attemptsMade < attempts) return;
    try {
      // A batch: the reports it did not complete (markFailed leaves completed ones alone).
      for (const id of reportIds ?? [reportId]) await this.builder.markFailed(id, error.message);
    } catch (markError) {
      // PostgreSQL is down: the row stays `running`; the relay's recovery pass finds it stale once the
      // database is back and enqueues it again (or marks it failed after REPORT_MAX_BUILD_ATTEMPTS).
      this.logger.warn({ reportId, err: errorMessage(markError) }, 'could not mark the report failed; recovery will');
    }
  }

  /** Redis errors (connection lost, ...): BullMQ reconnects by itself; logged instead of thrown. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error.message }, 'report worker: Redis error');
  }
}
