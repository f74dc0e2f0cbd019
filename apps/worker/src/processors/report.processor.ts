import { Processor, WorkerHost, OnWorkerEvent } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '#libs/config';
import { QueueName, ReportJobName, type ReportJobPayload } from '#libs/queue';
import { ReportBuilderService } from '#libs/reporting';

/** Handlers by job name: the worker refuses to start when a job name has none (see assertHandlers). */
export const REPORT_HANDLED_JOBS: readonly ReportJobName[] = [ReportJobName.Build];

/**
 * Builds report jobs of the `reports` queue. Payload carries the report id only; the builder
 * reloads the row and advances its persisted status, so a job run twice yields one report.
 */
@Processor(QueueName.Reports)
export class ReportProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReportProcessor.name);

  constructor(
    private readonly builder: ReportBuilderService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /** Applies WORKER_CONCURRENCY once the BullMQ worker exists. */
  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
  }

  async process(job: Job<ReportJobPayload>): Promise<string> {
    switch (job.name as ReportJobName) {
      case ReportJobName.Build:
        return this.builder.build(job.data.reportId);
      default:
        throw new Error(`No handler for job ${job.name}`);
    }
  }

  /** After the last attempt the report row says `failed` with the error. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<ReportJobPayload> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    this.logger.warn({ reportId: job.data.reportId, attempt: job.attemptsMade, attempts, err: error.message }, 'report job failed');
    if (job.attemptsMade >= attempts) await this.builder.markFailed(job.data.reportId, error.message);
  }
}
