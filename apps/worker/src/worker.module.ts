import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { rbmLoggerModule } from '#libs/common';
import { AppConfig, AppConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import { QueueName, redisOptionsFromUrl } from '#libs/queue';
import { ReportingModule } from '#libs/reporting';
import { JobHandlerRegistry } from './jobs/job-handler.js';
import { ReportJobs } from './jobs/report-jobs.js';
import { ReportProcessor } from './processors/report.processor.js';
import { QuarterReportScheduler } from './quarter-report-scheduler.service.js';
import { ReportRelayService } from './report-relay.service.js';

/** The worker process: BullMQ processors, the report relay (with stale-job recovery) and the quarterly schedule; no HTTP. */
@Module({
  imports: [
    AppConfigModule,
    rbmLoggerModule(),
    DatabaseModule,
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: redisOptionsFromUrl(config.REDIS_URL),
        prefix: config.QUEUE_PREFIX,
      }),
    }),
    BullModule.registerQueue({ name: QueueName.Reports }),
    ReportingModule,
    DiscoveryModule,
  ],
  providers: [ReportProcessor, ReportRelayService, QuarterReportScheduler, JobHandlerRegistry, ReportJobs],
})
export class WorkerModule {}
