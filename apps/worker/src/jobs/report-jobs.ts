import { Injectable } from '@nestjs/common';
import { ReportJobName, type ReportJobPayload, type ScheduleQuarterReportsPayload } from '#libs/queue';
import { ReportBuilderService } from '#libs/reporting';
import { QuarterReportScheduler } from '../quarter-report-scheduler.service.js';
import { JobHandler } from './job-handler.js';

/** The handlers of the `reports` queue's jobs, registered by decorator. */
@Injectable()
export class ReportJobs {
  constructor(
    private readonly builder: ReportBuilderService,
    private readonly scheduler: QuarterReportScheduler,
  ) {}

  /**
   * Builds one report, or a batch of the quarterly run's project reports (`reportIds`) with shared
   * set-based loading (the job carries ids only; the builder reloads the rows).
   */
  @JobHandler(ReportJobName.Build)
  build(data: ReportJobPayload) {
    return data.reportIds?.length ? this.builder.buildBatch(data.reportIds) : this.builder.build(data.reportId);
  }

  /** Requests the quarterly reports due on `today` (a calendar date). */
  @JobHandler(ReportJobName.ScheduleQuarterReports)
  scheduleQuarterReports(data: ScheduleQuarterReportsPayload) {
    return this.scheduler.requestDueReports(data.today);
  }
}
