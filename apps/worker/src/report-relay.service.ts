import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '#libs/config';
import { QueueName, REPORT_JOB_OPTIONS, ReportJobName, reportJobId, type ReportJobPayload } from '#libs/queue';

const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * The outbox relay (DESIGN.md §6): claims report rows still `requested` with
 * `FOR UPDATE SKIP LOCKED` (safe with several workers), adds their BullMQ jobs (job id derived from
 * the row, so adding twice is a no-op) and marks them `queued`, in the claiming transaction.
 * If Redis is down the transaction rolls back and the rows wait for the next pass.
 */
@Injectable()
export class ReportRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReportRelayService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Reports) private readonly queue: Queue<ReportJobPayload>,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.RELAY_INTERVAL_MS);
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.relayOnce().catch((error: unknown) => {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'relay pass failed; rows stay requested');
      return 0;
    });
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
        this.queue.addBulk(rows.map((r) => ({ name: ReportJobName.Build, data: { reportId: r.id }, opts: { ...REPORT_JOB_OPTIONS, jobId: reportJobId(r.id) } }))),
        ENQUEUE_TIMEOUT_MS,
        'Redis did not accept the jobs in time',
      );
      await manager.query(`UPDATE report SET status = 'queued', queued_at = now(), updated_at = now() WHERE id = ANY($1)`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}
